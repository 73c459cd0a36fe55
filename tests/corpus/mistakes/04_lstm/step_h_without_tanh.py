"""h = o * c."""
LOSES = 'lstm_step_forward'
SAYS = ('tanh',)
# ---- the student's cell
def lstm_step_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W.T + b
    s = lambda v: 1 / (1 + np.exp(-v))
    f, i, g, o = s(a[:, :H]), s(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), s(a[:, 3 * H:])
    c = f * c_prev + i * g
    return o * c, c
