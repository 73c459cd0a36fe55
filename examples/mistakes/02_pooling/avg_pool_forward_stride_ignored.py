"""The window moves one pixel at a time whatever the stride."""
BREAKS = ("avg_pool_forward",)
DIAGNOSIS = "stride_ignored"


def avg_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = H - PH + 1
    OW = W - PW + 1
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = x[:, :, i:i + PH, j:j + PW].mean(axis=(2, 3))
    return out
