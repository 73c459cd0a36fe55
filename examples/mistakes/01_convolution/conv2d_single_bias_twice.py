"""The bias is added to each element in the loop, and then once more to the whole map."""
BREAKS = ("conv2d_single",)
DIAGNOSIS = "bias_twice"


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    H, W = x.shape
    FH, FW = w.shape
    xp = np.pad(x, pad)
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[i * stride:i * stride + FH, j * stride:j * stride + FW]
            out[i, j] = np.sum(window * w) + b
    return out + b
