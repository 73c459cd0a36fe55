"""Kernel flipped."""
LOSES = 'conv_forward'
SAYS = ('flipped',)
# ---- the student's cell
def conv_forward(x, w, b, stride, pad):
    return _ref_conv_forward(x, w[:, :, ::-1, ::-1], b, stride, pad)
