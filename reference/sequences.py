"""Reference solutions for 06_sequences (hidden: never released to students).

RNN: h_t = tanh(x_t Wx + h_{t-1} Wh + b), x (N, T, D), h (N, T, H). LSTM: W (4H, H + D) stacks
the gates f, i, g, o; z = [h_prev, x]. Text CNN: tokens (N, L), E (V, D), w (F, k, D).
Vectorised over the batch; loops run over time steps or window positions only. The public
functions share private helpers instead of calling one another, so a sample submission that
replaces one public function breaks that problem only.
"""
import numpy as np


def _rnn_states(x, h0, Wx, Wh, b):
    """Every hidden state h (N, T, H), as 03's rnn_forward."""
    N, T, _ = x.shape
    h = np.empty((N, T, Wh.shape[0]), dtype=np.result_type(x, h0, Wx, Wh, b))
    h_prev = h0
    for t in range(T):
        h_prev = h[:, t] = np.tanh(x[:, t] @ Wx + h_prev @ Wh + b)
    return h


def _bptt(dh, x, h0, Wx, Wh, h):
    """BPTT given the states h: (dx, dh0, dWx, dWh, db), as 03's rnn_backward."""
    dx, dWx, dWh = np.zeros_like(x, dtype=h.dtype), np.zeros_like(Wx), np.zeros_like(Wh)
    db = np.zeros(Wh.shape[0], dtype=h.dtype)
    dh_carry = np.zeros_like(h0, dtype=h.dtype)
    for t in reversed(range(x.shape[1])):
        h_prev = h0 if t == 0 else h[:, t - 1]
        da = (dh[:, t] + dh_carry) * (1 - h[:, t] ** 2)
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += h_prev.T @ da
        db += da.sum(axis=0)
        dh_carry = da @ Wh.T
    return dx, dh_carry, dWx, dWh, db


def _sigmoid(a):
    """1 / (1 + exp(-a)) without overflow for large negative a."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def rnn_output(h, Wv, bv):
    """The scores at every step, y_t = h_t Wv + bv: h (N, T, H) -> y (N, T, V)."""
    return h @ Wv + bv


def temporal_softmax_loss(y, targets, mask):
    """Cross-entropy summed over the steps where mask is True, divided by N; and dy."""
    N, T, _ = y.shape
    shifted = y - y.max(axis=2, keepdims=True)                  # exp never overflows
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    n, t = np.indices((N, T))
    loss = -(log_probs[n, t, targets] * mask).sum() / N
    dy = np.exp(log_probs)                                      # softmax
    dy[n, t, targets] -= 1
    dy *= mask[:, :, None] / N
    return loss, dy


def many_to_one(x, h0, Wx, Wh, b, Wy, by):
    """The last hidden state through an affine layer: scores (N, K)."""
    return _rnn_states(x, h0, Wx, Wh, b)[:, -1] @ Wy + by


def many_to_one_backward(dscores, x, h0, Wx, Wh, b, Wy, by):
    """(dx, dh0, dWx, dWh, db, dWy, dby): only h_T gets an upstream gradient; BPTT does the rest."""
    h = _rnn_states(x, h0, Wx, Wh, b)
    dh = np.zeros_like(h)
    dh[:, -1] = dscores @ Wy.T
    return _bptt(dh, x, h0, Wx, Wh, h) + (h[:, -1].T @ dscores, dscores.sum(axis=0))


def clip_gradients(grads, max_norm):
    """Every array scaled by min(1, max_norm / (total_norm + 1e-6)), total_norm the global L2 norm."""
    total_norm = np.sqrt(sum(np.sum(g * g) for g in grads))
    scale = min(1.0, max_norm / (total_norm + 1e-6))
    return [g * scale for g in grads]


def gradient_norms(x, h0, Wx, Wh, b):
    """norms[t] = ||dL/dh_t|| with L = h_{T-1}.sum(), back through the recurrence: (T,)."""
    h = _rnn_states(x, h0, Wx, Wh, b)
    T = x.shape[1]
    norms = np.empty(T, dtype=h.dtype)
    dh = np.ones_like(h[:, -1])                                 # dL/dh_{T-1}
    norms[-1] = np.linalg.norm(dh)
    for t in range(T - 1, 0, -1):
        dh = (dh * (1 - h[:, t] ** 2)) @ Wh.T                   # through step t into h_{t-1}
        norms[t - 1] = np.linalg.norm(dh)
    return norms


def lstm_gate_grads(dh_next, dc_next, x, h_prev, c_prev, W, b):
    """dL/da for the four pre-activations (f, i, g, o), each (N, H)."""
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W.T + b
    f, i = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H])
    g, o = np.tanh(a[:, 2 * H:3 * H]), _sigmoid(a[:, 3 * H:])
    tanh_c = np.tanh(f * c_prev + i * g)
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)              # both paths into c
    return (dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g ** 2),
            dh_next * tanh_c * o * (1 - o))


def embed(tokens, E):
    """Each token's row of E: tokens (N, L) -> emb (N, L, D)."""
    return E[tokens]


def embed_backward(demb, tokens, V):
    """dE (V, D): every use of a token adds its gradient to that token's row."""
    dE = np.zeros((V, demb.shape[-1]), dtype=demb.dtype)
    np.add.at(dE, tokens, demb)
    return dE


def conv1d_over_time(emb, w, b):
    """maps[n, f, t] = sum(emb[n, t:t+k] * w[f]) + b[f]: (N, F, L - k + 1)."""
    N, L, _ = emb.shape
    F, k, _ = w.shape
    maps = np.empty((N, F, L - k + 1), dtype=np.result_type(emb, w, b))
    for t in range(L - k + 1):
        maps[:, :, t] = emb[:, t:t + k].reshape(N, -1) @ w.reshape(F, -1).T + b
    return maps


def conv1d_over_time_backward(dmaps, emb, w, b):
    """(demb, dw, db): each window adds to the k words it covers and to every filter."""
    N, L, D = emb.shape
    F, k, _ = w.shape
    demb, dw = np.zeros_like(emb), np.zeros_like(w)
    for t in range(L - k + 1):
        dw += (dmaps[:, :, t].T @ emb[:, t:t + k].reshape(N, -1)).reshape(F, k, D)
        demb[:, t:t + k] += (dmaps[:, :, t] @ w.reshape(F, -1)).reshape(N, k, D)
    return demb, dw, dmaps.sum(axis=(0, 2))


def max_over_time(maps):
    """The largest value of every map: (N, F, T') -> (N, F)."""
    return maps.max(axis=2)


def max_over_time_backward(dpooled, maps):
    """dpooled goes to the position of each map's max; 0 elsewhere."""
    dmaps = np.zeros_like(maps)
    n, f = np.indices(dpooled.shape)
    dmaps[n, f, maps.argmax(axis=2)] = dpooled
    return dmaps
