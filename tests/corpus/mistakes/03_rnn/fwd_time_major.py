"""(T, N, H)."""
LOSES = 'rnn_forward'
SAYS = ('(N, T, H)', 'transposed', 'order')
# ---- the student's cell
def rnn_forward(x, h0, Wx, Wh, b):
    return _ref_rnn_forward(x, h0, Wx, Wh, b).transpose(1, 0, 2)
