import numpy as np

BREAKS = ("conv1d_over_time",)
DIAGNOSIS = "bias_missing"


def conv1d_over_time(emb, w, b):
    N, L, D = emb.shape
    F, k, _ = w.shape
    maps = np.zeros((N, F, L - k + 1))
    for t in range(L - k + 1):
        maps[:, :, t] = np.einsum("njd,fjd->nf", emb[:, t:t + k], w)
    return maps
