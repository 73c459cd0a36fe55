"""1 - a^2."""
LOSES = 'rnn_backward'
SAYS = ('pre-activation',)
# ---- the student's cell
def rnn_backward(dh, x, h0, Wx, Wh, b):
    T = x.shape[1]
    h = rnn_forward(x, h0, Wx, Wh, b)
    dx, dWx, dWh, db = np.zeros_like(x), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    carry = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1]
        a = x[:, t] @ Wx + h_prev @ Wh + b
        da = (dh[:, t] + carry) * (1 - a ** 2)
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += h_prev.T @ da
        db += da.sum(axis=0)
        carry = da @ Wh.T
    return dx, carry, dWx, dWh, db
