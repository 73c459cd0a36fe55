import numpy as np

BREAKS = ("rnn_backward",)
DIAGNOSIS = "tanh_derivative_on_preactivation"


def rnn_backward(dh, x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = rnn_forward(x, h0, Wx, Wh, b)
    dx = np.zeros_like(x)
    dWx = np.zeros_like(Wx)
    dWh = np.zeros_like(Wh)
    db = np.zeros_like(b)
    dh_prev = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1, :]
        a = x[:, t, :] @ Wx + h_prev @ Wh + b
        da = (dh[:, t, :] + dh_prev) * (1 - a ** 2)
        dx[:, t, :] = da @ Wx.T
        dh_prev = da @ Wh.T
        dWx += x[:, t, :].T @ da
        dWh += h_prev.T @ da
        db += da.sum(axis=0)
    return dx, dh_prev, dWx, dWh, db
