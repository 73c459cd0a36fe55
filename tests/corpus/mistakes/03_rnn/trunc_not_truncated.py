"""Full BPTT."""
LOSES = 'rnn_backward_truncated'
SAYS = ('truncat', 'k')
# ---- the student's cell
def rnn_backward_truncated(dh, x, h0, Wx, Wh, b, k):
    return rnn_backward(dh, x, h0, Wx, Wh, b)
