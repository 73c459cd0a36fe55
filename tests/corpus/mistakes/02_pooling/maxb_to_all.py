"""dout to the whole window."""
LOSES = 'max_pool_backward'
SAYS = ('every element', 'all')
# ---- the student's cell
def max_pool_backward(dout, x, PH, PW, stride):
    return avg_pool_backward(dout, x, PH, PW, stride) * PH * PW
