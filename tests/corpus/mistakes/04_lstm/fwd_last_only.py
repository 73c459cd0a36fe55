"""Returns the last h."""
LOSES = 'lstm_forward'
SAYS = ('(N, T, H)',)
# ---- the student's cell
def lstm_forward(x, h0, W, b):
    return _ref_lstm_forward(x, h0, W, b)[:, -1]
