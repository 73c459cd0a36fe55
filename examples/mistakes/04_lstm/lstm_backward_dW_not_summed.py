"""BPTT whose dW and db are assigned (=) at each step instead of summed: the last step the
backward loop visits (t = 0) is all that remains."""
import numpy as np

BREAKS = ("lstm_backward",)
DIAGNOSIS = "dW_not_summed"


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_backward(dh, x, h0, W, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h, c, cache = h0, np.zeros((N, H)), []
    for t in range(T):
        z = np.concatenate([h, x[:, t]], axis=1)
        a = z @ W.T + b
        f, i = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H])
        g, o = np.tanh(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
        c_prev = c
        c = f * c_prev + i * g
        h = o * np.tanh(c)
        cache.append((z, c_prev, f, i, g, o, c))

    dx, dW, db = np.zeros_like(x), np.zeros_like(W), np.zeros_like(b)
    dh_prev, dc_prev = np.zeros((N, H)), np.zeros((N, H))
    for t in reversed(range(T)):
        z, c_prev, f, i, g, o, c = cache[t]
        dh_t = dh[:, t] + dh_prev
        dc = dc_prev + dh_t * o * (1 - np.tanh(c) ** 2)
        da = np.hstack([dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g ** 2),
                        dh_t * np.tanh(c) * o * (1 - o)])
        dz = da @ W
        dx[:, t] = dz[:, H:]
        dh_prev = dz[:, :H]
        dc_prev = dc * f
        dW = da.T @ z
        db = da.sum(axis=0)
    return dx, dh_prev, dW, db
