"""np.split of the pre-activation; a list."""
REPLACES = ('lstm_step_forward',)
# ---- the student's cell
def lstm_step_forward(x, h_prev, c_prev, W, b):
    a = np.hstack([h_prev, x]) @ W.T + b
    f, i, g, o = np.split(a, 4, axis=1)
    f, i, o = (1 / (1 + np.exp(-v)) for v in (f, i, o))
    c = f * c_prev + i * np.tanh(g)
    return [o * np.tanh(c), c]
