"""The padded array has the right size, but x is copied to its top-left corner: all the
zeros end up at the bottom and on the right."""
BREAKS = ("zero_pad",)
DIAGNOSIS = "one_side"


def zero_pad(x, P):
    N, C, H, W = x.shape
    x_padded = np.zeros((N, C, H + 2 * P, W + 2 * P), dtype=x.dtype)
    x_padded[:, :, :H, :W] = x
    return x_padded
