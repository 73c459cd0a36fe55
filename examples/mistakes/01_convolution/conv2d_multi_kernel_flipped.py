"""True convolution: each channel's kernel is rotated by 180 degrees. The lectures (and
torch) use cross-correlation, with w as given."""
BREAKS = ("conv2d_multi",)
DIAGNOSIS = "kernel_flipped"


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    C, H, W = x.shape
    _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    w_flipped = w[:, ::-1, ::-1]
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[:, i * stride:i * stride + FH, j * stride:j * stride + FW]
            out[i, j] = np.sum(window * w_flipped) + b
    return out
