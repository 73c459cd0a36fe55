import numpy as np

BREAKS = ("gradient_norms",)
DIAGNOSIS = "loss_at_every_step"


def gradient_norms(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    hs = [h0]
    for t in range(T):
        hs.append(np.tanh(x[:, t] @ Wx + hs[-1] @ Wh + b))
    norms = np.zeros(T)
    dh = np.ones_like(h0)
    for t in reversed(range(T)):
        norms[t] = np.linalg.norm(dh)
        dh = (dh * (1 - hs[t + 1] ** 2)) @ Wh.T + 1.0        # a gradient of 1 joins at each step
    return norms
