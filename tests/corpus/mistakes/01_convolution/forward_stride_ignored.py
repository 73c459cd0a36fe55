"""stride 1 always."""
LOSES = 'conv_forward'
SAYS = ('stride',)
# ---- the student's cell
def conv_forward(x, w, b, stride, pad):
    return _ref_conv_forward(x, w, b, 1, pad)
