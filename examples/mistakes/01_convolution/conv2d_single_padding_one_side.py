"""The padded input has the right size, but x sits in its top-left corner: the zeros are
only below and to the right."""
BREAKS = ("conv2d_single",)
DIAGNOSIS = "padding_one_side"


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    H, W = x.shape
    FH, FW = w.shape
    xp = np.zeros((H + 2 * pad, W + 2 * pad))
    xp[:H, :W] = x
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[i * stride:i * stride + FH, j * stride:j * stride + FW]
            out[i, j] = np.sum(window * w) + b
    return out
