"""dc_prev = dc."""
LOSES = 'lstm_step_backward'
SAYS = ('forget', 'dc_prev')
# ---- the student's cell
def lstm_step_backward(dh_next, dc_next, x, h_prev, c_prev, W, b):
    dx, dh_prev, dc_prev, dW, db = _ref_lstm_step_backward(dh_next, dc_next, x, h_prev, c_prev, W, b)
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W.T + b
    f = 1 / (1 + np.exp(-a[:, :H]))
    return dx, dh_prev, dc_prev / f, dW, db
