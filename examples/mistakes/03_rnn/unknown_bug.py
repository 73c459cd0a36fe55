import numpy as np

BREAKS = ("rnn_forward",)
DIAGNOSIS = None


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    h_prev = h0
    for t in range(T):
        h[:, t, :] = h_prev              # stores the state before the step, not after it
        h_prev = np.tanh(x[:, t, :] @ Wx + h_prev @ Wh + b)
    return h
