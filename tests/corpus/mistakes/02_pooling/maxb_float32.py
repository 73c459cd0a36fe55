"""float32."""
LOSES = 'max_pool_backward'
SAYS = ('float32',)
# ---- the student's cell
def max_pool_backward(dout, x, PH, PW, stride):
    return _ref_max_pool_backward(dout.astype(np.float32), x, PH, PW, stride) * np.float32(1 + 1e-7)
