"""dscores @ Wy.T fed to every hidden state."""
LOSES = 'many_to_one_backward'
SAYS = ('every hidden state',)
# ---- the student's cell
def many_to_one_backward(dscores, x, h0, Wx, Wh, b, Wy, by):
    N, T, D = x.shape
    hs = [h0]
    for t in range(T):
        hs.append(np.tanh(x[:, t] @ Wx + hs[-1] @ Wh + b))
    up = dscores @ Wy.T
    dx, dWx, dWh, db = np.zeros_like(x), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    carry = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        da = (up + carry) * (1 - hs[t + 1] ** 2)
        dx[:, t], carry = da @ Wx.T, da @ Wh.T
        dWx += x[:, t].T @ da
        dWh += hs[t].T @ da
        db += da.sum(0)
    return dx, carry, dWx, dWh, db, hs[-1].T @ dscores, dscores.sum(0)
