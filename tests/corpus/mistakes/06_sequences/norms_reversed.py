"""norms[0] is the last step's."""
LOSES = 'gradient_norms'
SAYS = ('reverse',)
# ---- the student's cell
def gradient_norms(x, h0, Wx, Wh, b):
    hs = [h0]
    for t in range(x.shape[1]):
        hs.append(np.tanh(x[:, t] @ Wx + hs[-1] @ Wh + b))
    dh = np.ones_like(h0)
    out = []
    for t in range(x.shape[1], 0, -1):
        out.append(np.linalg.norm(dh))
        dh = (dh * (1 - hs[t] ** 2)) @ Wh.T
    return np.array(out)
