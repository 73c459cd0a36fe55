"""A NaN in every output of conv2d_single."""
_conv2d_single = conv2d_single


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    out = _conv2d_single(x, w, b, stride, pad)
    out[0, 0] = np.nan
    return out
