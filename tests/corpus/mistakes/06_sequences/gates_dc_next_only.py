"""dc = dc_next: the path through h forgotten."""
LOSES = 'lstm_gate_grads'
SAYS = ('path through h',)
# ---- the student's cell
def lstm_gate_grads(dh_next, dc_next, x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.hstack([h_prev, x]) @ W.T + b
    sig = lambda v: 1 / (1 + np.exp(-v))
    f, i, g, o = sig(a[:, :H]), sig(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
    tc = np.tanh(f * c_prev + i * g)
    dc = dc_next
    return dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g ** 2), dh_next * tc * o * (1 - o)
