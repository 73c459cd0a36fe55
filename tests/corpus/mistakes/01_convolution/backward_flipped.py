"""Kernel flipped in forward and backward."""
LOSES = 'conv_backward'
SAYS = ('flipped',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w[:, :, ::-1, ::-1], b, stride, pad)
    return dx, dw[:, :, ::-1, ::-1], db
