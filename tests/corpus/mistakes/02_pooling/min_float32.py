"""float32."""
LOSES = 'min_pool_forward'
SAYS = ('float32',)
# ---- the student's cell
def min_pool_forward(x, PH, PW, stride):
    return _ref_min_pool_forward(x, PH, PW, stride).astype(np.float32) * np.float32(1 + 1e-7)
