"""gradient_norms through rnn_forward and rnn_step_backward pasted from assignment 3."""
REPLACES = ('gradient_norms',)
# ---- the student's cell
def rnn_forward(x, h0, Wx, Wh, b):
    h, hs = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        hs.append(h)
    return np.stack(hs, axis=1)


def rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    da = dh_next * (1 - h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def gradient_norms(x, h0, Wx, Wh, b):
    h = rnn_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    dh = np.ones_like(h[:, -1])
    norms = [np.linalg.norm(dh)]
    for t in range(T - 1, 0, -1):
        _, dh, _, _, _ = rnn_step_backward(dh, x[:, t], h[:, t - 1], Wx, Wh, b)
        norms.insert(0, np.linalg.norm(dh))
    return np.array(norms)
