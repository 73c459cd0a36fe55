"""dh_prev negated."""
LOSES = 'rnn_step_backward'
SAYS = ('opposite sign',)
# ---- the student's cell
def rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    dx, dh_prev, dWx, dWh, db = _ref_rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b)
    return dx, -dh_prev, dWx, dWh, db
