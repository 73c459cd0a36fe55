"""dx keeps its padding."""
LOSES = 'conv_backward'
SAYS = ('shape of x',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    dx, dw, db = _ref_conv_backward(dout, x, w, b, stride, pad)
    return np.pad(dx, ((0, 0), (0, 0), (pad, pad), (pad, pad))), dw, db
