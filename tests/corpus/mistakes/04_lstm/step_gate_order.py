"""i, f, o, g order."""
LOSES = 'lstm_step_forward'
SAYS = ('order', 'f, i, g, o')
# ---- the student's cell
def lstm_step_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    blocks = [1, 0, 2, 3]
    idx = np.concatenate([np.arange(k * H, (k + 1) * H) for k in blocks])
    return _ref_lstm_step_forward(x, h_prev, c_prev, W[idx], b[idx])
