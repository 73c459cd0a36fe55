"""db averaged."""
LOSES = 'conv_backward'
SAYS = ('times 0.5', 'divided', 'mean')
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w, b, stride, pad)
    return dx, dw, dout.mean(axis=0).sum(axis=(1, 2))
