"""max of -x, not negated back."""
LOSES = 'min_pool_forward'
SAYS = ('opposite sign',)
# ---- the student's cell
def min_pool_forward(x, PH, PW, stride):
    return max_pool_forward(-x, PH, PW, stride)
