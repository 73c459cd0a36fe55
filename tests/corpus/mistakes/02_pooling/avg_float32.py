"""float32 mean."""
LOSES = 'avg_pool_forward'
SAYS = ('float32',)
# ---- the student's cell
def avg_pool_forward(x, PH, PW, stride):
    return _ref_avg_pool_forward(x.astype(np.float32), PH, PW, stride)
