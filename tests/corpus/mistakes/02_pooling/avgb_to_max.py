"""Routes to the max."""
LOSES = 'avg_pool_backward'
SAYS = ('max',)
# ---- the student's cell
def avg_pool_backward(dout, x, PH, PW, stride):
    return max_pool_backward(dout, x, PH, PW, stride) / (PH * PW)
