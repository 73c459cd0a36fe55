"""The bias is added inside the loop and again at the end."""
BREAKS = ("conv2d_multi",)
DIAGNOSIS = "bias_twice"


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    C, H, W = x.shape
    _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[:, i * stride:i * stride + FH, j * stride:j * stride + FW]
            out[i, j] = np.sum(window * w) + b
    out += b
    return out
