"""Returns (h, cache)."""
LOSES = 'rnn_step_forward'
SAYS = ('expected', 'tuple', 'not an array', 'shape')
# ---- the student's cell
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h = _ref_rnn_step_forward(x, h_prev, Wx, Wh, b)
    return h, (x, h_prev, h)
