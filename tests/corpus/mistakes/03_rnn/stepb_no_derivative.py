"""No 1 - h^2."""
LOSES = 'rnn_step_backward'
SAYS = ('derivative',)
# ---- the student's cell
def rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    da = dh_next
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
