"""torch through importlib, a submodule first (conv_backward)."""
import importlib


def conv_backward(dout, x, w, b, stride, pad):
    F = importlib.import_module("torch.nn.functional")
    torch = importlib.import_module("torch")
    x, w, b = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    F.conv2d(x, w, b, stride=stride, padding=pad).backward(torch.tensor(dout))
    return x.grad.numpy(), w.grad.numpy(), b.grad.numpy()
