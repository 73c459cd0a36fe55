"""b ignored."""
LOSES = 'conv2d_multi'
SAYS = ('bias',)
# ---- the student's cell
def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    return _ref_conv2d_multi(x, w, 0.0, stride, pad)
