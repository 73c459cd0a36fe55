"""The padded input has the right size, but each channel sits in its top-left corner."""
BREAKS = ("conv2d_multi",)
DIAGNOSIS = "padding_one_side"


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    C, H, W = x.shape
    _, FH, FW = w.shape
    xp = np.zeros((C, H + 2 * pad, W + 2 * pad))
    xp[:, :H, :W] = x
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[:, i * stride:i * stride + FH, j * stride:j * stride + FW]
            out[i, j] = np.sum(window * w) + b
    return out
