"""The window jumps by its own size, as in the lecture's 2x2 / stride 2 picture."""
BREAKS = ("max_pool_forward",)
DIAGNOSIS = "stride_is_window"


def max_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = H // PH
    OW = W // PW
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = x[:, :, i * PH:(i + 1) * PH, j * PW:(j + 1) * PW]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out
