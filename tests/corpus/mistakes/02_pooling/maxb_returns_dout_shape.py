"""Returns the window grid."""
LOSES = 'max_pool_backward'
SAYS = ('shape of x',)
# ---- the student's cell
def max_pool_backward(dout, x, PH, PW, stride):
    return dout.copy()
