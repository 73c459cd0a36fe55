"""The window jumps by its own size instead of by the stride."""
BREAKS = ("avg_pool_forward",)
DIAGNOSIS = "stride_is_window"


def avg_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = H // PH
    OW = W // PW
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = x[:, :, i * PH:(i + 1) * PH, j * PW:(j + 1) * PW]
            out[:, :, i, j] = window.sum(axis=(2, 3)) / (PH * PW)
    return out
