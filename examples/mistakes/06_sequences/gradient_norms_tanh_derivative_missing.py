import numpy as np

BREAKS = ("gradient_norms",)
DIAGNOSIS = "tanh_derivative_missing"


def gradient_norms(x, h0, Wx, Wh, b):
    T = x.shape[1]
    dh = np.ones((x.shape[0], Wh.shape[0]))
    norms = np.zeros(T)
    norms[T - 1] = np.linalg.norm(dh)
    for t in range(T - 2, -1, -1):
        dh = dh @ Wh.T                                       # 1 - h^2 left out
        norms[t] = np.linalg.norm(dh)
    return norms
