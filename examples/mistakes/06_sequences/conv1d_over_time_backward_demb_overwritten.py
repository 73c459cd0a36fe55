import numpy as np

BREAKS = ("conv1d_over_time_backward",)
DIAGNOSIS = "demb_overwritten"


def conv1d_over_time_backward(dmaps, emb, w, b):
    N, L, D = emb.shape
    F, k, _ = w.shape
    demb, dw = np.zeros_like(emb), np.zeros_like(w)
    for t in range(L - k + 1):
        demb[:, t:t + k] = np.einsum("nf,fjd->njd", dmaps[:, :, t], w)   # = instead of +=
        dw += np.einsum("nf,njd->fjd", dmaps[:, :, t], emb[:, t:t + k])
    return demb, dw, dmaps.sum(axis=(0, 2))
