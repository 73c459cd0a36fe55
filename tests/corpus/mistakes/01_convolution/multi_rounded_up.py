"""Ceil output size, zero overrun."""
LOSES = 'conv2d_multi'
SAYS = ('rounded up',)
# ---- the student's cell
def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    C, H, W = x.shape
    _, FH, FW = w.shape
    Hp, Wp = H + 2 * pad, W + 2 * pad
    OH, OW = -(-(Hp - FH) // stride) + 1, -(-(Wp - FW) // stride) + 1
    xp = np.zeros((C, (OH - 1) * stride + FH, (OW - 1) * stride + FW))
    xp[:, pad:pad + H, pad:pad + W] = x
    out = np.empty((OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[i, j] = np.sum(xp[:, i * stride:i * stride + FH, j * stride:j * stride + FW] * w) + b
    return out
