"""The bias b (one per filter) is never added."""
BREAKS = ("conv_forward",)
DIAGNOSIS = "bias_missing"


def conv_forward(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
                    out[n, f, i, j] = np.sum(window * w[f])
    return out
