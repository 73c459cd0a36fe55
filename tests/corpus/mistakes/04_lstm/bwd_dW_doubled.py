"""dW twice."""
LOSES = 'lstm_backward'
SAYS = ('times 2',)
# ---- the student's cell
def lstm_backward(dh, x, h0, W, b):
    dx, dh0, dW, db = _ref_lstm_backward(dh, x, h0, W, b)
    return dx, dh0, 2 * dW, db
