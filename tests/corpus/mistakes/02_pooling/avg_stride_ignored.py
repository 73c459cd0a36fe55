"""stride 1."""
LOSES = 'avg_pool_forward'
SAYS = ('stride',)
# ---- the student's cell
def avg_pool_forward(x, PH, PW, stride):
    return _ref_avg_pool_forward(x, PH, PW, 1)
