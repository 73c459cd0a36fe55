"""b ignored."""
LOSES = 'conv_forward'
SAYS = ('bias',)
# ---- the student's cell
def conv_forward(x, w, b, stride, pad):
    return _ref_conv_forward(x, w, np.zeros_like(b), stride, pad)
