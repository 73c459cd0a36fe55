import numpy as np

BREAKS = ("rnn_backward",)
DIAGNOSIS = "last_step_only"


def rnn_backward(dh, x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = rnn_forward(x, h0, Wx, Wh, b)
    dx = np.zeros_like(x)
    dWx = np.zeros_like(Wx)
    dWh = np.zeros_like(Wh)
    db = np.zeros_like(b)
    dh_next = dh[:, -1, :]
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1, :]
        dx_t, dh_next, dWx_t, dWh_t, db_t = rnn_step_backward(dh_next, x[:, t, :], h_prev, Wx, Wh, b)
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_next, dWx, dWh, db
