"""Returns the last h."""
LOSES = 'rnn_forward'
SAYS = ('(N, T, H)',)
# ---- the student's cell
def rnn_forward(x, h0, Wx, Wh, b):
    return _ref_rnn_forward(x, h0, Wx, Wh, b)[:, -1]
