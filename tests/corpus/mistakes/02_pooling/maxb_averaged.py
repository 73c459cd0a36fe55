"""avg backward."""
LOSES = 'max_pool_backward'
SAYS = ('average', 'divided')
# ---- the student's cell
def max_pool_backward(dout, x, PH, PW, stride):
    return avg_pool_backward(dout, x, PH, PW, stride)
