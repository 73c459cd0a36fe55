"""dh0 negated."""
LOSES = 'lstm_backward'
SAYS = ('opposite sign',)
# ---- the student's cell
def lstm_backward(dh, x, h0, W, b):
    dx, dh0, dW, db = _ref_lstm_backward(dh, x, h0, W, b)
    return dx, -dh0, dW, db
