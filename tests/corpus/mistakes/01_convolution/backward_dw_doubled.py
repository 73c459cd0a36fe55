"""dw counted twice."""
LOSES = 'conv_backward'
SAYS = ('times 2',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w, b, stride, pad)
    return dx, 2 * dw, db
