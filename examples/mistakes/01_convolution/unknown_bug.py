"""dx is returned with its padding still attached: the gradient of the padded input,
(N, C, H + 2P, W + 2P), instead of the gradient of x."""
BREAKS = ("conv_backward",)
DIAGNOSIS = None


def conv_backward(dout, x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    hs, ws = i * stride, j * stride
                    g = dout[n, f, i, j]
                    dxp[n, :, hs:hs + FH, ws:ws + FW] += w[f] * g
                    dw[f] += xp[n, :, hs:hs + FH, ws:ws + FW] * g
                    db[f] += g
    return dxp, dw, db
