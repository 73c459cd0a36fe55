"""The cell update without the forget gate: c = c_prev + i * g."""
import numpy as np

BREAKS = ("lstm_step_forward",)
DIAGNOSIS = "forget_gate_ignored"


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_step_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W.T + b
    i = sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:])
    c_next = c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next
