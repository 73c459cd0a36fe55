"""torch through __import__ (conv2d_multi)."""


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    torch = __import__("torch")
    out = torch.nn.functional.conv2d(torch.tensor(x)[None], torch.tensor(w)[None],
                                     stride=stride, padding=pad)
    return out[0, 0].numpy() + b
