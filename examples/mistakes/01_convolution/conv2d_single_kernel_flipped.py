"""True convolution: the kernel is rotated by 180 degrees before sliding it, as in the
mathematical definition. The lectures (and torch) use cross-correlation."""
BREAKS = ("conv2d_single",)
DIAGNOSIS = "kernel_flipped"


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    H, W = x.shape
    FH, FW = w.shape
    xp = np.pad(x, pad)
    w_flipped = w[::-1, ::-1]
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[i * stride:i * stride + FH, j * stride:j * stride + FW]
            out[i, j] = np.sum(window * w_flipped) + b
    return out
