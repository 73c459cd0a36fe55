"""KeyboardInterrupt inside a call (conv_backward)."""


def conv_backward(dout, x, w, b, stride, pad):
    raise KeyboardInterrupt
