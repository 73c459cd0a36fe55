"""Initial value kept."""
LOSES = 'max_pool_forward'
SAYS = ('same constant',)
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    return _ref_max_pool_forward(x, PH, PW, stride) + 1.0
