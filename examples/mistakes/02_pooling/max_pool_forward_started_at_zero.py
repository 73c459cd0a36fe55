"""The running maximum starts at 0, so an all-negative window gives 0."""
BREAKS = ("max_pool_forward",)
DIAGNOSIS = "started_at_zero"


def max_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    OH = (H - PH) // stride + 1
    OW = (W - PW) // stride + 1
    out = np.zeros((N, C, OH, OW))
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    best = 0.0
                    for a in range(PH):
                        for b in range(PW):
                            v = x[n, c, i * stride + a, j * stride + b]
                            if v > best:
                                best = v
                    out[n, c, i, j] = best
    return out
