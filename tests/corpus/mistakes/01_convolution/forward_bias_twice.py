"""b added twice."""
LOSES = 'conv_forward'
SAYS = ('twice',)
# ---- the student's cell
def conv_forward(x, w, b, stride, pad):
    return _ref_conv_forward(x, w, b, stride, pad) + b[None, :, None, None]
