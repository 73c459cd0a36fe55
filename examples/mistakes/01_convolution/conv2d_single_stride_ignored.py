"""The window moves one pixel at a time whatever the stride."""
BREAKS = ("conv2d_single",)
DIAGNOSIS = "stride_ignored"


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    H, W = x.shape
    FH, FW = w.shape
    xp = np.pad(x, pad)
    OH = H + 2 * pad - FH + 1
    OW = W + 2 * pad - FW + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[i, j] = np.sum(xp[i:i + FH, j:j + FW] * w) + b
    return out
