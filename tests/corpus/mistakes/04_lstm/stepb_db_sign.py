"""db negated."""
LOSES = 'lstm_step_backward'
SAYS = ('opposite sign',)
# ---- the student's cell
def lstm_step_backward(dh_next, dc_next, x, h_prev, c_prev, W, b):
    dx, dh_prev, dc_prev, dW, db = _ref_lstm_step_backward(dh_next, dc_next, x, h_prev, c_prev, W, b)
    return dx, dh_prev, dc_prev, dW, -db
