"""sigmoid and tanh swapped everywhere in the step: tanh for f, i, o; sigmoid for g and for
the cell output."""
import numpy as np

BREAKS = ("lstm_step_forward",)
DIAGNOSIS = "sigmoid_tanh_swapped"


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_step_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W.T + b
    f = np.tanh(a[:, :H])
    i = np.tanh(a[:, H:2 * H])
    g = sigmoid(a[:, 2 * H:3 * H])
    o = np.tanh(a[:, 3 * H:])
    c_next = f * c_prev + i * g
    h_next = o * sigmoid(c_next)
    return h_next, c_next
