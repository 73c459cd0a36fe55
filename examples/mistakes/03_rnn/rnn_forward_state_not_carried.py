import numpy as np

BREAKS = ("rnn_forward",)
DIAGNOSIS = "state_not_carried"


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    for t in range(T):
        h[:, t, :] = rnn_step_forward(x[:, t, :], h0, Wx, Wh, b)
    return h
