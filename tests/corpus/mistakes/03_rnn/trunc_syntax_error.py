"""Syntax."""
LOSES = 'rnn_backward_truncated'
SAYS = ('failed to load', 'SyntaxError')
# ---- the student's cell
def rnn_backward_truncated(dh, x, h0, Wx, Wh, b, k):
    return rnn_backward(dh, x, h0, Wx, Wh, b
