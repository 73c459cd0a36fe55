import numpy as np

BREAKS = ("rnn_backward",)
DIAGNOSIS = "dWh_not_summed"


def rnn_backward(dh, x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = rnn_forward(x, h0, Wx, Wh, b)
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1, :]
        dx_t, dh_prev, dWx, dWh, db = rnn_step_backward(dh[:, t, :] + dh_prev, x[:, t, :], h_prev,
                                                        Wx, Wh, b)
        dx[:, t, :] = dx_t
    return dx, dh_prev, dWx, dWh, db
