"""Negated."""
LOSES = 'max_pool_backward'
SAYS = ('opposite sign',)
# ---- the student's cell
def max_pool_backward(dout, x, PH, PW, stride):
    return -_ref_max_pool_backward(dout, x, PH, PW, stride)
