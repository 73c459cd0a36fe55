"""The forbidden shortcut: import torch inside conv_forward."""


def conv_forward(x, w, b, stride, pad):
    import torch
    return torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b),
                                      stride=stride, padding=pad).numpy()
