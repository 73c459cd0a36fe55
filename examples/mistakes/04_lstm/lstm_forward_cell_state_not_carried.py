"""Every step starts from a zero cell state: only h is carried through time."""
import numpy as np

BREAKS = ("lstm_forward",)
DIAGNOSIS = "cell_state_not_carried"


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_forward(x, h0, W, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = h0
    hs = np.zeros((N, T, H))
    for t in range(T):
        c = np.zeros((N, H))
        a = np.concatenate([h, x[:, t]], axis=1) @ W.T + b
        f = sigmoid(a[:, :H])
        i = sigmoid(a[:, H:2 * H])
        g = np.tanh(a[:, 2 * H:3 * H])
        o = sigmoid(a[:, 3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs[:, t] = h
    return hs
