import numpy as np

BREAKS = ("rnn_step_backward",)
DIAGNOSIS = "tanh_derivative_on_preactivation"


def rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    a = x @ Wx + h_prev @ Wh + b
    da = dh_next * (1 - a ** 2)
    dx = da @ Wx.T
    dh_prev = da @ Wh.T
    dWx = x.T @ da
    dWh = h_prev.T @ da
    db = np.sum(da, axis=0)
    return dx, dh_prev, dWx, dWh, db
