"""[x, h_prev]."""
LOSES = 'forget_gate'
SAYS = ('order', '[h_prev, x]')
# ---- the student's cell
def forget_gate(h_prev, x, W, b):
    H = h_prev.shape[1]
    z = np.concatenate([x, h_prev], axis=1)
    return 1 / (1 + np.exp(-(z @ W.T + b)))
