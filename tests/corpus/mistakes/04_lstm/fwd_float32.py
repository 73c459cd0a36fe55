"""float32."""
LOSES = 'lstm_forward'
SAYS = ('float32',)
# ---- the student's cell
def lstm_forward(x, h0, W, b):
    return _ref_lstm_forward(x.astype(np.float32), h0.astype(np.float32), W.astype(np.float32), b).astype(np.float32)
