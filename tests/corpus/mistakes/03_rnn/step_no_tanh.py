"""No tanh."""
LOSES = 'rnn_step_forward'
SAYS = ('activation', 'tanh')
# ---- the student's cell
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    return x @ Wx + h_prev @ Wh + b
