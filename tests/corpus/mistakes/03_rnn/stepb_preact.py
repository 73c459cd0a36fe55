"""1 - a^2."""
LOSES = 'rnn_step_backward'
SAYS = ('pre-activation',)
# ---- the student's cell
def rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    a = x @ Wx + h_prev @ Wh + b
    da = dh_next * (1 - a ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
