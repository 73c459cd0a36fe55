"""float32."""
LOSES = 'rnn_step_forward'
SAYS = ('float32',)
# ---- the student's cell
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    return _ref_rnn_step_forward(x.astype(np.float32), h_prev, Wx.astype(np.float32), Wh, b).astype(np.float32)
