"""float32 output."""
LOSES = 'max_pool_forward'
SAYS = ('float32',)
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    return _ref_max_pool_forward(x, PH, PW, stride).astype(np.float32) + np.float32(1e-7)
