"""PH and PW swapped: the window is PW high and PH wide."""
BREAKS = ("avg_pool_forward",)
DIAGNOSIS = "window_transposed"


def avg_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = (H - PW) // stride + 1
    OW = (W - PH) // stride + 1
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = x[:, :, i * stride:i * stride + PW, j * stride:j * stride + PH]
            out[:, :, i, j] = window.mean(axis=(2, 3))
    return out
