"""The padded input has the right size, but x is copied to its top-left corner: the zeros
are only at the bottom and on the right."""
BREAKS = ("conv_forward",)
DIAGNOSIS = "padding_one_side"


def conv_forward(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    xp[:, :, :H, :W] = x
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out
