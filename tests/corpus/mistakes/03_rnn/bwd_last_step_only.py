"""Only dh[:, -1]."""
LOSES = 'rnn_backward'
SAYS = ('dh[:, -1]', 'last')
# ---- the student's cell
def rnn_backward(dh, x, h0, Wx, Wh, b):
    last = np.zeros_like(dh)
    last[:, -1] = dh[:, -1]
    return _ref_rnn_backward(last, x, h0, Wx, Wh, b)
