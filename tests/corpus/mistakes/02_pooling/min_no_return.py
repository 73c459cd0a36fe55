"""Forgets the return."""
LOSES = 'min_pool_forward'
SAYS = ('return',)
# ---- the student's cell
def min_pool_forward(x, PH, PW, stride):
    out = _ref_min_pool_forward(x, PH, PW, stride)
