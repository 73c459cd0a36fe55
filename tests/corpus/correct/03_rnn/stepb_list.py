"""Returns a list."""
REPLACES = ('rnn_step_backward',)
# ---- the student's cell
def rnn_step_backward(dh_next, x, h_prev, Wx, Wh, b):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    da = dh_next * (1 - h * h)
    return [da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, np.sum(da, axis=0)]
