"""Plain loops."""
REPLACES = ('conv2d_single',)
# ---- the student's cell
def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    x = np.pad(x, pad)
    FH, FW = w.shape
    OH = (x.shape[0] - FH) // stride + 1
    OW = (x.shape[1] - FW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            total = 0.0
            for a in range(FH):
                for c in range(FW):
                    total += x[i * stride + a, j * stride + c] * w[a, c]
            out[i, j] = total + b
    return out
