"""dc = dc_next only: the path from h_next = o * tanh(c_next) back into c is missing."""
import numpy as np

BREAKS = ("lstm_step_backward",)
DIAGNOSIS = "dc_from_h_missing"


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_step_backward(dh_next, dc_next, x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    z = np.concatenate([h_prev, x], axis=1)
    a = z @ W.T + b
    f = sigmoid(a[:, :H])
    i = sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:])
    c_next = f * c_prev + i * g

    dc = dc_next
    do = dh_next * np.tanh(c_next)
    da = np.hstack([dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g ** 2),
                    do * o * (1 - o)])
    dz = da @ W
    return dz[:, H:], dz[:, :H], dc * f, da.T @ z, da.sum(axis=0)
