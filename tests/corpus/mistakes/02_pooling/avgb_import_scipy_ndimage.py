"""Forbidden."""
LOSES = 'avg_pool_backward'
SAYS = ('failed to load', 'not allowed')
# ---- the student's cell
from scipy import ndimage
def avg_pool_backward(dout, x, PH, PW, stride):
    return _ref_avg_pool_backward(dout, x, PH, PW, stride)
