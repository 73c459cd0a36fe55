"""max instead of min."""
LOSES = 'min_pool_forward'
SAYS = ('max',)
# ---- the student's cell
def min_pool_forward(x, PH, PW, stride):
    return max_pool_forward(x, PH, PW, stride)
