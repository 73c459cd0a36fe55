"""Divides by PH only."""
LOSES = 'avg_pool_backward'
SAYS = ('times',)
# ---- the student's cell
def avg_pool_backward(dout, x, PH, PW, stride):
    return _ref_avg_pool_backward(dout, x, PH, PW, stride) * PW
