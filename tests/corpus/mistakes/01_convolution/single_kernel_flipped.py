"""True convolution."""
LOSES = 'conv2d_single'
SAYS = ('flipped',)
# ---- the student's cell
def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    return _ref_conv2d_single(x, w[::-1, ::-1], b, stride, pad)
