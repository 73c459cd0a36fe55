"""PH and PW swapped."""
LOSES = 'max_pool_forward'
SAYS = ('PH', 'PW', 'window')
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    return _ref_max_pool_forward(x, PW, PH, stride)
