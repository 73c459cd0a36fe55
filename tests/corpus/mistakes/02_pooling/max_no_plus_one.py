"""OH without + 1."""
LOSES = 'max_pool_forward'
SAYS = ('shape', 'OH =')
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    return _ref_max_pool_forward(x, PH, PW, stride)[:, :, :-1, :-1]
