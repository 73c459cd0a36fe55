"""scipy.special.expit."""
REPLACES = ('lstm_backward',)
NEEDS = "scipy"
# ---- the student's cell
from scipy.special import expit


def lstm_backward(dh, x, h0, W, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h, c, caches = h0, np.zeros_like(h0), []
    for t in range(T):
        z = np.concatenate([h, x[:, t]], axis=1)
        a = z @ W.T + b
        f, i, g, o = expit(a[:, :H]), expit(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), expit(a[:, 3 * H:])
        c_prev, c = c, f * c + i * g
        h = o * np.tanh(c)
        caches.append((z, c_prev, f, i, g, o, np.tanh(c)))
    dx, dW, db = np.zeros_like(x), np.zeros_like(W), np.zeros_like(b)
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        z, c_prev, f, i, g, o, tc = caches[t]
        dht = dh[:, t] + dh_next
        dc = dc_next + dht * o * (1 - tc ** 2)
        da = np.concatenate([dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g ** 2),
                             dht * tc * o * (1 - o)], axis=1)
        dz = da @ W
        dx[:, t], dh_next, dc_next = dz[:, H:], dz[:, :H], dc * f
        dW += da.T @ z
        db += da.sum(axis=0)
    return dx, dh_next, dW, db
