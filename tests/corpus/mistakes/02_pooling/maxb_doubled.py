"""Counted twice."""
LOSES = 'max_pool_backward'
SAYS = ('times 2',)
# ---- the student's cell
def max_pool_backward(dout, x, PH, PW, stride):
    return 2 * _ref_max_pool_backward(dout, x, PH, PW, stride)
