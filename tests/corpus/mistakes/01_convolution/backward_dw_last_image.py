"""Overwritten per image."""
LOSES = 'conv_backward'
SAYS = ('image(s) last only',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, _, _ = _ref_conv_backward(dout, x, w, b, stride, pad)
    for n in range(x.shape[0]):
        _, dw, db = _ref_conv_backward(dout[n:n + 1], x[n:n + 1], w, b, stride, pad)
    return dx, dw, db
