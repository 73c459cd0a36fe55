"""The padded input is built with x in its top-left corner, and dx is cut from that same
corner: a consistent backward pass of a forward pass padded on one side only."""
BREAKS = ("conv_backward",)
DIAGNOSIS = "padding_one_side"


def conv_backward(dout, x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    xp[:, :, :H, :W] = x
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
    dx = dxp[:, :, :H, :W]
    return dx, dw, db
