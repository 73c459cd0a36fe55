"""The running minimum starts at 0, so an all-positive window gives 0."""
BREAKS = ("min_pool_forward",)
DIAGNOSIS = "started_at_zero"


def min_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = (H - PH) // stride + 1
    OW = (W - PW) // stride + 1
    out = np.zeros((N, C, OH, OW))
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    smallest = 0.0
                    for a in range(PH):
                        for b in range(PW):
                            smallest = min(smallest, x[n, c, i * stride + a, j * stride + b])
                    out[n, c, i, j] = smallest
    return out
