"""The cell raises."""
LOSES = 'lstm_backward'
SAYS = ('failed to load',)
# ---- the student's cell
dW_check = lstm_backward(None, None, None, None, None)
def lstm_backward(dh, x, h0, W, b):
    return _ref_lstm_backward(dh, x, h0, W, b)
