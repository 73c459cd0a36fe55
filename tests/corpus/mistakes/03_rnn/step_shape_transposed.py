"""Returns h.T."""
LOSES = 'rnn_step_forward'
SAYS = ('(N, H)', 'transposed')
# ---- the student's cell
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    return _ref_rnn_step_forward(x, h_prev, Wx, Wh, b).T
