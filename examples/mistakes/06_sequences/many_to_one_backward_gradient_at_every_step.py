import numpy as np

BREAKS = ("many_to_one_backward",)
DIAGNOSIS = "gradient_at_every_step"


def many_to_one_backward(dscores, x, h0, Wx, Wh, b, Wy, by):
    N, T, D = x.shape
    hs = [h0]
    for t in range(T):
        hs.append(np.tanh(x[:, t] @ Wx + hs[-1] @ Wh + b))
    dh_out = dscores @ Wy.T
    dx, dWx, dWh, db = np.zeros_like(x), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dh_out + dh_next) * (1 - hs[t + 1] ** 2)       # dh_out added at every step
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += hs[t].T @ da
        db += da.sum(axis=0)
        dh_next = da @ Wh.T
    return dx, dh_next, dWx, dWh, db, hs[-1].T @ dscores, dscores.sum(axis=0)
