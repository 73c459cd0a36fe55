"""tanh instead of sigmoid."""
LOSES = 'forget_gate'
SAYS = ('sigmoid', 'tanh')
# ---- the student's cell
def forget_gate(h_prev, x, W, b):
    return np.tanh(np.concatenate([h_prev, x], axis=1) @ W.T + b)
