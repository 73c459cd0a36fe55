"""An infinity in every output of conv2d_multi."""
_conv2d_multi = conv2d_multi


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    out = _conv2d_multi(x, w, b, stride, pad)
    out[-1, -1] = -np.inf
    return out
