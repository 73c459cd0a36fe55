import numpy as np

BREAKS = ("rnn_backward_truncated",)
DIAGNOSIS = "boundary_off_by_one"


def rnn_backward_truncated(dh, x, h0, Wx, Wh, b, k):
    N, T, D = x.shape
    h = rnn_forward(x, h0, Wx, Wh, b)
    dx = np.zeros_like(x)
    dWx = np.zeros_like(Wx)
    dWh = np.zeros_like(Wh)
    db = np.zeros_like(b)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        if t % k == 0:
            dh_prev = np.zeros_like(h0)   # start of a chunk: cut the gradient
        h_prev = h0 if t == 0 else h[:, t - 1, :]
        dx_t, dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t, :] + dh_prev, x[:, t, :],
                                                              h_prev, Wx, Wh, b)
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
