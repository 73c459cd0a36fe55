"""BPTT with in-place updates."""
REPLACES = ('rnn_backward',)
# ---- the student's cell
def rnn_backward(dh, x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = rnn_forward(x, h0, Wx, Wh, b)
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dnext = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        prev = h[:, t - 1] if t > 0 else h0
        da = dh[:, t] + dnext
        da *= 1 - h[:, t] ** 2
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += prev.T @ da
        db += da.sum(0)
        dnext = da @ Wh.T
    return dx, dnext, dWx, dWh, db
