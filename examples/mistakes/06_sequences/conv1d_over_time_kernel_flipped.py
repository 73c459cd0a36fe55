import numpy as np

BREAKS = ("conv1d_over_time",)
DIAGNOSIS = "kernel_flipped"


def conv1d_over_time(emb, w, b):
    N, L, D = emb.shape
    F, k, _ = w.shape
    maps = np.zeros((N, F, L - k + 1))
    for n in range(N):
        for f in range(F):
            for t in range(L - k + 1):
                maps[n, f, t] = np.sum(emb[n, t:t + k] * w[f, ::-1]) + b[f]
    return maps
