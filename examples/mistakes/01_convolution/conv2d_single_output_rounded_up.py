"""The output size is rounded up; the last window, cut off by the border, is multiplied with
the part of w that still overlaps the input (as if zeros were beyond the edge)."""
BREAKS = ("conv2d_single",)
DIAGNOSIS = "output_rounded_up"


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    H, W = x.shape
    FH, FW = w.shape
    xp = np.pad(x, pad)
    OH = int(np.ceil((H + 2 * pad - FH) / stride)) + 1
    OW = int(np.ceil((W + 2 * pad - FW) / stride)) + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[i * stride:i * stride + FH, j * stride:j * stride + FW]
            h, v = window.shape
            out[i, j] = np.sum(window * w[:h, :v]) + b
    return out
