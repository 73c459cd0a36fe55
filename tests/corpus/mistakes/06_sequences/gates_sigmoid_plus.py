"""s * (1 + s) for the sigmoid's derivative."""
LOSES = 'lstm_gate_grads'
SAYS = ('s * (1 - s)',)
# ---- the student's cell
def lstm_gate_grads(dh_next, dc_next, x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.hstack([h_prev, x]) @ W.T + b
    s = 1 / (1 + np.exp(-a))
    f, i, o, g = s[:, :H], s[:, H:2 * H], s[:, 3 * H:], np.tanh(a[:, 2 * H:3 * H])
    tc = np.tanh(f * c_prev + i * g)
    dc = dc_next + dh_next * o * (1 - tc ** 2)
    return dc * c_prev * f * (1 + f), dc * g * i * (1 + i), dc * i * (1 - g ** 2), dh_next * tc * o * (1 + o)
