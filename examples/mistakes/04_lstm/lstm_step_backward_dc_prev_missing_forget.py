"""dc_prev = dc: the gradient into c_prev forgot to go through the forget gate."""
import numpy as np

BREAKS = ("lstm_step_backward",)
DIAGNOSIS = "dc_prev_missing_forget"


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
    tanh_c = np.tanh(c_next)

    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    do = dh_next * tanh_c
    df = dc * c_prev
    di = dc * g
    dg = dc * i
    dc_prev = dc
    da = np.hstack([df * f * (1 - f), di * i * (1 - i), dg * (1 - g ** 2), do * o * (1 - o)])
    dz = da @ W
    dW = da.T @ z
    db = da.sum(axis=0)
    return dz[:, H:], dz[:, :H], dc_prev, dW, db
