"""The output size is rounded up; the cut-off last window uses the part of w that still
overlaps the input."""
BREAKS = ("conv2d_multi",)
DIAGNOSIS = "output_rounded_up"


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    C, H, W = x.shape
    _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    OH = int(np.ceil((H + 2 * pad - FH) / stride)) + 1
    OW = int(np.ceil((W + 2 * pad - FW) / stride)) + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[:, i * stride:i * stride + FH, j * stride:j * stride + FW]
            _, h, v = window.shape
            out[i, j] = np.sum(window * w[:, :h, :v]) + b
    return out
