"""The output size misses its "+ 1": the last row and column of windows are dropped."""
BREAKS = ("max_pool_forward",)
DIAGNOSIS = None


def max_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = (H - PH) // stride
    OW = (W - PW) // stride
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = x[:, :, i * stride:i * stride + PH, j * stride:j * stride + PW]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out
