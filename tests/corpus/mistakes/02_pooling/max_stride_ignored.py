"""Window moves 1."""
LOSES = 'max_pool_forward'
SAYS = ('stride',)
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    return _ref_max_pool_forward(x, PH, PW, 1)
