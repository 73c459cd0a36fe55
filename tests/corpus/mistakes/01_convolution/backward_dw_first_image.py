"""dw, db from image 0."""
LOSES = 'conv_backward'
SAYS = ('image(s) 0 only',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, _, _ = _ref_conv_backward(dout, x, w, b, stride, pad)
    _, dw, db = _ref_conv_backward(dout[:1], x[:1], w, b, stride, pad)
    return dx, dw, db
