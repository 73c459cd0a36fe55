"""dw, db / N."""
LOSES = 'conv_backward'
SAYS = ('averaged', 'mean')
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w, b, stride, pad)
    return dx, dw / x.shape[0], db / x.shape[0]
