"""Reference solutions for 04_lstm (hidden: never released to students).

The lecture's layout: z = [h_prev, x] (N, H + D); W (4H, H + D) and b (4H,) stack the gates
in the order f, i, g (candidate), o. Vectorised over the batch; the sequence functions loop
over time. Every public function stands alone (they share only private helpers), so a wrong
answer to one problem does not break another.
"""
import numpy as np


def _sigmoid(a):
    """1 / (1 + exp(-a)) without overflow for large negative a."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def _affine(h_prev, x, W, b):
    """z W^T + b with z = [h_prev, x]."""
    return np.concatenate([h_prev, x], axis=1) @ W.T + b


def forget_gate(h_prev, x, W_f, b_f):
    """f = sigmoid([h_prev, x] W_f^T + b_f): how much of c_prev to keep, (N, H)."""
    return _sigmoid(_affine(h_prev, x, W_f, b_f))


def input_gate(h_prev, x, W_i, b_i):
    """i = sigmoid([h_prev, x] W_i^T + b_i): how much of the candidate to write, (N, H)."""
    return _sigmoid(_affine(h_prev, x, W_i, b_i))


def candidate_cell(h_prev, x, W_c, b_c):
    """g = tanh([h_prev, x] W_c^T + b_c): the new content, in [-1, 1], (N, H)."""
    return np.tanh(_affine(h_prev, x, W_c, b_c))


def output_gate(h_prev, x, W_o, b_o):
    """o = sigmoid([h_prev, x] W_o^T + b_o): how much of tanh(c) to show, (N, H)."""
    return _sigmoid(_affine(h_prev, x, W_o, b_o))


def _step(x, h_prev, c_prev, W, b):
    """One step: h_next, c_next and the cache its backward pass needs."""
    H = h_prev.shape[1]
    z = np.concatenate([h_prev, x], axis=1)
    a = z @ W.T + b                                              # (N, 4H): f, i, g, o
    f = _sigmoid(a[:, :H])
    i = _sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = _sigmoid(a[:, 3 * H:])
    c_next = f * c_prev + i * g
    tanh_c = np.tanh(c_next)
    h_next = o * tanh_c
    return h_next, c_next, (z, c_prev, f, i, g, o, tanh_c)


def _step_back(dh_next, dc_next, W, cache):
    """The gradients of one step from its cache: dx, dh_prev, dc_prev, dW, db."""
    z, c_prev, f, i, g, o, tanh_c = cache
    H = c_prev.shape[1]
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)               # both paths into c
    da = np.concatenate([dc * c_prev * f * (1 - f),              # through f
                         dc * g * i * (1 - i),                   # through i
                         dc * i * (1 - g ** 2),                  # through g
                         dh_next * tanh_c * o * (1 - o)], axis=1)  # through o
    dz = da @ W
    return dz[:, H:], dz[:, :H], dc * f, da.T @ z, da.sum(axis=0)


def lstm_step_forward(x, h_prev, c_prev, W, b):
    """x (N, D), h_prev and c_prev (N, H) -> (h_next, c_next), each (N, H)."""
    h_next, c_next, _ = _step(x, h_prev, c_prev, W, b)
    return h_next, c_next


def lstm_step_backward(dh_next, dc_next, x, h_prev, c_prev, W, b):
    """The gradients of one step given dh_next and dc_next: (dx, dh_prev, dc_prev, dW, db)."""
    _, _, cache = _step(x, h_prev, c_prev, W, b)
    return _step_back(dh_next, dc_next, W, cache)


def lstm_forward(x, h0, W, b):
    """x (N, T, D), h0 (N, H), c0 = 0 -> every step's h, (N, T, H)."""
    N, T, _ = x.shape
    h, c = h0, np.zeros_like(h0)
    hs = np.empty((N, T, h0.shape[1]), dtype=np.result_type(x, h0, W, b))
    for t in range(T):
        h, c, _ = _step(x[:, t], h, c, W, b)
        hs[:, t] = h
    return hs


def lstm_backward(dh, x, h0, W, b):
    """BPTT: dh (N, T, H) is the upstream gradient of every step's h -> (dx, dh0, dW, db)."""
    T = x.shape[1]
    h, c, caches = h0, np.zeros_like(h0), []
    for t in range(T):
        h, c, cache = _step(x[:, t], h, c, W, b)
        caches.append(cache)
    dx = np.empty_like(x, dtype=np.result_type(dh, x, W))
    dW, db = np.zeros_like(W), np.zeros_like(b)
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(h0)     # nothing after the last step
    for t in reversed(range(T)):
        dx[:, t], dh_next, dc_next, dW_t, db_t = _step_back(dh[:, t] + dh_next, dc_next, W,
                                                            caches[t])
        dW += dW_t
        db += db_t
    return dx, dh_next, dW, db
