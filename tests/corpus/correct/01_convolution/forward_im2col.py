"""im2col and one matrix product."""
REPLACES = ('conv_forward',)
# ---- the student's cell
def conv_forward(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    cols = np.empty((N, OH, OW, C * FH * FW))
    for i in range(OH):
        for j in range(OW):
            patch = xp[:, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
            cols[:, i, j, :] = patch.reshape(N, -1)
    out = cols @ w.reshape(F, -1).T + b
    return out.transpose(0, 3, 1, 2)
