"""No carry."""
LOSES = 'rnn_backward'
SAYS = ('dh_prev', 't+1')
# ---- the student's cell
def rnn_backward(dh, x, h0, Wx, Wh, b):
    T = x.shape[1]
    h = rnn_forward(x, h0, Wx, Wh, b)
    dx, dWx, dWh, db = np.zeros_like(x), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1]
        da = dh[:, t] * (1 - h[:, t] ** 2)
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += h_prev.T @ da
        db += da.sum(axis=0)
        dh_prev = da @ Wh.T
    return dx, dh_prev, dWx, dWh, db
