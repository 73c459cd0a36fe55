"""stride = PH."""
LOSES = 'max_pool_forward'
SAYS = ('stride', 'window')
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    return _ref_max_pool_forward(x, PH, PW, PH)
