"""Loops with np.max."""
REPLACES = ('max_pool_forward',)
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH, OW = (H - PH) // stride + 1, (W - PW) // stride + 1
    out = np.empty((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + PH, j * stride:j * stride + PW].max(axis=(2, 3))
    return out
