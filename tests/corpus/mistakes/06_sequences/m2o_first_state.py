"""h[:, 0] instead of h[:, -1]."""
LOSES = 'many_to_one'
SAYS = ('last',)
# ---- the student's cell
def many_to_one(x, h0, Wx, Wh, b, Wy, by):
    h = h0
    hs = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        hs.append(h)
    return np.stack(hs, 1)[:, 0] @ Wy + by
