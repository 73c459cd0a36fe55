"""True convolution: every filter is rotated by 180 degrees in H and W before sliding it.
The lectures (and torch.nn.functional.conv2d) use cross-correlation."""
BREAKS = ("conv_forward",)
DIAGNOSIS = "kernel_flipped"


def conv_forward(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    w_flipped = w[:, :, ::-1, ::-1]
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
                    out[n, f, i, j] = np.sum(window * w_flipped[f]) + b[f]
    return out
