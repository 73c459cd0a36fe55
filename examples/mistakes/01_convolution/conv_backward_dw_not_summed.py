"""dw and db are divided by the batch size, as if the loss were a mean over the images; the
filter is shared by all N images, so its gradient is the plain sum."""
BREAKS = ("conv_backward",)
DIAGNOSIS = "dw_not_summed"


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
    dw = dw / N
    db = db / N
    dx = dxp[:, :, pad:pad + H, pad:pad + W]
    return dx, dw, db
