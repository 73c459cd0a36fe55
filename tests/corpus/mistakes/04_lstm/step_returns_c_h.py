"""(c, h)."""
LOSES = 'lstm_step_forward'
SAYS = ('wrong places',)
# ---- the student's cell
def lstm_step_forward(x, h_prev, c_prev, W, b):
    h, c = _ref_lstm_step_forward(x, h_prev, c_prev, W, b)
    return c, h
