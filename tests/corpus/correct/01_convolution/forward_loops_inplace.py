"""Loops, += in place."""
REPLACES = ('conv_forward',)
# ---- the student's cell
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
                    out[n, f, i, j] += np.sum(xp[n, :, i * stride:i * stride + FH,
                                                 j * stride:j * stride + FW] * w[f])
            out[n, f] += b[f]
    return out
