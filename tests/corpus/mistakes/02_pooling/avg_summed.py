"""No division."""
LOSES = 'avg_pool_forward'
SAYS = ('sum', 'divide')
# ---- the student's cell
def avg_pool_forward(x, PH, PW, stride):
    return _ref_avg_pool_forward(x, PH, PW, stride) * PH * PW
