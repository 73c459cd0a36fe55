"""tanh instead of sigmoid."""
LOSES = 'input_gate'
SAYS = ('sigmoid', 'tanh')
# ---- the student's cell
def input_gate(h_prev, x, W, b):
    return np.tanh(np.concatenate([h_prev, x], axis=1) @ W.T + b)
