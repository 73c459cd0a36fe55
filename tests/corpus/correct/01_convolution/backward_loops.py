"""Loops over every output element."""
REPLACES = ('conv_backward',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    hs, ws = i * stride, j * stride
                    dxp[n, :, hs:hs + FH, ws:ws + FW] += w[f] * dout[n, f, i, j]
                    dw[f] += xp[n, :, hs:hs + FH, ws:ws + FW] * dout[n, f, i, j]
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, db
