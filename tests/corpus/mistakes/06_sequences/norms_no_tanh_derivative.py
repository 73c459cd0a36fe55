"""dh @ Wh.T without 1 - h^2."""
LOSES = 'gradient_norms'
SAYS = ('tanh derivative',)
# ---- the student's cell
def gradient_norms(x, h0, Wx, Wh, b):
    T = x.shape[1]
    dh = np.ones_like(h0)
    out = [np.linalg.norm(dh)]
    for _ in range(T - 1):
        dh = dh @ Wh.T
        out.append(np.linalg.norm(dh))
    return np.array(out[::-1])
