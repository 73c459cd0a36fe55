"""(dw, dx, db)."""
LOSES = 'conv_backward'
SAYS = ('shape of x', 'wrong places')
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w, b, stride, pad)
    return dw, dx, db
