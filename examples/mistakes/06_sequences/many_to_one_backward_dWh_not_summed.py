import numpy as np

BREAKS = ("many_to_one_backward",)
DIAGNOSIS = "dWh_not_summed"


def many_to_one_backward(dscores, x, h0, Wx, Wh, b, Wy, by):
    N, T, D = x.shape
    hs = [h0]
    for t in range(T):
        hs.append(np.tanh(x[:, t] @ Wx + hs[-1] @ Wh + b))
    dx = np.zeros_like(x)
    dh = dscores @ Wy.T
    for t in reversed(range(T)):
        da = dh * (1 - hs[t + 1] ** 2)
        dx[:, t] = da @ Wx.T
        dWx = x[:, t].T @ da                                 # = instead of +=
        dWh = hs[t].T @ da
        db = da.sum(axis=0)
        dh = da @ Wh.T
    return dx, dh, dWx, dWh, db, hs[-1].T @ dscores, dscores.sum(axis=0)
