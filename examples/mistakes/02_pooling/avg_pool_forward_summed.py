"""Sum pooling: the window is summed but never divided by PH*PW."""
BREAKS = ("avg_pool_forward",)
DIAGNOSIS = "summed"


def avg_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = (H - PH) // stride + 1
    OW = (W - PW) // stride + 1
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = x[:, :, i * stride:i * stride + PH, j * stride:j * stride + PW]
            out[:, :, i, j] = window.sum(axis=(2, 3))
    return out
