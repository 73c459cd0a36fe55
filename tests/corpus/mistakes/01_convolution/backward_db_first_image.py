"""db = dout[0].sum."""
LOSES = 'conv_backward'
SAYS = ('image(s) 0 only',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w, b, stride, pad)
    return dx, dw, dout[0].sum(axis=(1, 2))
