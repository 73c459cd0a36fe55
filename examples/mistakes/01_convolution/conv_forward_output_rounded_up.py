"""The output size is rounded up, and the padded buffer is made large enough for the extra
window: the last row/column of windows runs into zeros past the border."""
BREAKS = ("conv_forward",)
DIAGNOSIS = "output_rounded_up"


def conv_forward(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    OH = int(np.ceil((H + 2 * pad - FH) / stride)) + 1
    OW = int(np.ceil((W + 2 * pad - FW) / stride)) + 1
    xp = np.zeros((N, C, (OH - 1) * stride + FH, (OW - 1) * stride + FW))
    xp[:, :, pad:pad + H, pad:pad + W] = x
    out = np.zeros((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out
