"""dout not divided."""
LOSES = 'avg_pool_backward'
SAYS = ('divide', 'PH')
# ---- the student's cell
def avg_pool_backward(dout, x, PH, PW, stride):
    return _ref_avg_pool_backward(dout, x, PH, PW, stride) * PH * PW
