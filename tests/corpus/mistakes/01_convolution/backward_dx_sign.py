"""dx negated."""
LOSES = 'conv_backward'
SAYS = ('opposite sign',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w, b, stride, pad)
    return -dx, dw, db
