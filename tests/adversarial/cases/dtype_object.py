"""conv2d_single returns an object array (the right values as Python floats)."""
_conv2d_single = conv2d_single


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    return _conv2d_single(x, w, b, stride, pad).astype(object)
