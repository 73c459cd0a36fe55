"""Reference solutions for 03_rnn (hidden: never released to students).

h_t = tanh(x_t Wx + h_{t-1} Wh + b); x (N, T, D), h (N, T, H), Wx (D, H), Wh (H, H), b (H,).
Vectorised over the batch; the loops run over time steps only. The public functions share
private helpers instead of calling one another, so a sample submission that replaces one
public function breaks that problem only.
"""
import numpy as np


def _step(x, h_prev, Wx, Wh, b):
    return np.tanh(x @ Wx + h_prev @ Wh + b)


def _step_backward(dh_next, x, h_prev, h_next, Wx, Wh):
    """One step's gradients given its output h_next: (dx, dh_prev, dWx, dWh, db)."""
    da = dh_next * (1.0 - h_next ** 2)             # d tanh(a)/da = 1 - tanh(a)^2 = 1 - h^2
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def _forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.empty((N, T, Wh.shape[0]), dtype=np.result_type(x, h0, Wx, Wh, b))
    h_prev = h0
    for t in range(T):
        h_prev = h[:, t] = _step(x[:, t], h_prev, Wx, Wh, b)
    return h


def _bptt(dh, x, h0, Wx, Wh, b, k=None):
    """Backpropagation through time; with k, no gradient crosses into the step before a chunk
    start t = k, 2k, ... (the forward pass stays unbroken)."""
    T = x.shape[1]
    h = _forward(x, h0, Wx, Wh, b)
    dx, dWx, dWh, db = (np.zeros(a.shape, h.dtype) for a in (x, Wx, Wh, b))
    dh_carry = np.zeros(h0.shape, h.dtype)         # what flows back from step t+1 into h_t
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1]
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = _step_backward(
            dh[:, t] + dh_carry, x[:, t], h_prev, h[:, t], Wx, Wh)
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
        dh_carry = np.zeros_like(dh_prev) if (k is not None and t > 0 and t % k == 0) else dh_prev
    return dx, dh_carry, dWx, dWh, db


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One step: x (N, D), h_prev (N, H) -> h_next (N, H)."""
    return _step(x, h_prev, Wx, Wh, b)


def rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    """Gradients of one step: (dx, dh_prev, dWx, dWh, db)."""
    return _step_backward(dh_next, x, h_prev, _step(x, h_prev, Wx, Wh, b), Wx, Wh)


def rnn_forward(x, h0, Wx, Wh, b):
    """Every step's hidden state: x (N, T, D), h0 (N, H) -> h (N, T, H)."""
    return _forward(x, h0, Wx, Wh, b)


def rnn_backward(dh, x, h0, Wx, Wh, b):
    """BPTT: dh (N, T, H) is the upstream gradient of every h_t -> (dx, dh0, dWx, dWh, db)."""
    return _bptt(dh, x, h0, Wx, Wh, b)


def rnn_backward_truncated(dh, x, h0, Wx, Wh, b, k):
    """Truncated BPTT in chunks t = 0..k-1, k..2k-1, ...; dh0 gets only the first chunk's flow."""
    return _bptt(dh, x, h0, Wx, Wh, b, k)
