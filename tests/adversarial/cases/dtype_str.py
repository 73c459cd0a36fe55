"""conv2d_multi returns the right values as strings."""
_conv2d_multi = conv2d_multi


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    return _conv2d_multi(x, w, b, stride, pad).astype(str)
