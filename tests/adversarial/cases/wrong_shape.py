"""conv_forward returns the right values with an extra leading axis."""
_conv_forward = conv_forward


def conv_forward(x, w, b, stride, pad):
    return _conv_forward(x, w, b, stride, pad)[None]
