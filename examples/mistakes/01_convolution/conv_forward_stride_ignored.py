"""The window moves one pixel at a time whatever the stride."""
BREAKS = ("conv_forward",)
DIAGNOSIS = "stride_ignored"


def conv_forward(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    OH = H + 2 * pad - FH + 1
    OW = W + 2 * pad - FW + 1
    out = np.zeros((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    out[n, f, i, j] = np.sum(xp[n, :, i:i + FH, j:j + FW] * w[f]) + b[f]
    return out
