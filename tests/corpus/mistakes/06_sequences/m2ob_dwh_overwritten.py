"""The shared weights' gradients overwritten in the loop."""
LOSES = 'many_to_one_backward'
SAYS = ('overwritten', '+=')
# ---- the student's cell
def many_to_one_backward(dscores, x, h0, Wx, Wh, b, Wy, by):
    N, T, D = x.shape
    hs = [h0]
    for t in range(T):
        hs.append(np.tanh(x[:, t] @ Wx + hs[-1] @ Wh + b))
    dx, dh = np.zeros_like(x), dscores @ Wy.T
    for t in range(T - 1, -1, -1):
        da = dh * (1 - hs[t + 1] ** 2)
        dx[:, t] = da @ Wx.T
        dWx, dWh, db = x[:, t].T @ da, hs[t].T @ da, da.sum(0)
        dh = da @ Wh.T
    return dx, dh, dWx, dWh, db, hs[-1].T @ dscores, dscores.sum(0)
