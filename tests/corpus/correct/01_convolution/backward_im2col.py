"""im2col / col2im."""
REPLACES = ('conv_backward',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.stack([xp[:, :, i * stride:i * stride + FH, j * stride:j * stride + FW].reshape(N, -1)
                     for i in range(OH) for j in range(OW)], axis=1)      # (N, OH*OW, C*FH*FW)
    d = dout.transpose(0, 2, 3, 1).reshape(N, OH * OW, F)
    dw = np.einsum("npk,npf->fk", cols, d).reshape(w.shape)
    dcols = d @ w.reshape(F, -1)
    dxp = np.zeros_like(xp)
    for p in range(OH * OW):
        i, j = divmod(p, OW)
        dxp[:, :, i * stride:i * stride + FH, j * stride:j * stride + FW] += \
            dcols[:, p].reshape(N, C, FH, FW)
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, d.sum(axis=(0, 1))
