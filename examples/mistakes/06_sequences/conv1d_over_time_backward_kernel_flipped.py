import numpy as np

BREAKS = ("conv1d_over_time_backward",)
DIAGNOSIS = "kernel_flipped"


def conv1d_over_time_backward(dmaps, emb, w, b):
    N, L, D = emb.shape
    F, k, _ = w.shape
    wf = w[:, ::-1]                                          # the flipped filter of the forward
    demb, dwf = np.zeros_like(emb), np.zeros_like(w)
    for t in range(L - k + 1):
        demb[:, t:t + k] += np.einsum("nf,fjd->njd", dmaps[:, :, t], wf)
        dwf += np.einsum("nf,njd->fjd", dmaps[:, :, t], emb[:, t:t + k])
    return demb, dwf[:, ::-1], dmaps.sum(axis=(0, 2))
