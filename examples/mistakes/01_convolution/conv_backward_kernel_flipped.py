"""The backward pass of a true convolution: the kernel is flipped before use, so dx is
spread through the flipped filter and dw comes out flipped as well."""
BREAKS = ("conv_backward",)
DIAGNOSIS = "kernel_flipped"


def conv_backward(dout, x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    w_flipped = w[:, :, ::-1, ::-1]
    dxp = np.zeros_like(xp)
    dw_flipped = np.zeros_like(w)
    db = np.zeros_like(b)
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    hs, ws = i * stride, j * stride
                    g = dout[n, f, i, j]
                    dxp[n, :, hs:hs + FH, ws:ws + FW] += w_flipped[f] * g
                    dw_flipped[f] += xp[n, :, hs:hs + FH, ws:ws + FW] * g
                    db[f] += g
    dw = dw_flipped[:, :, ::-1, ::-1]
    dx = dxp[:, :, pad:pad + H, pad:pad + W]
    return dx, dw, db
