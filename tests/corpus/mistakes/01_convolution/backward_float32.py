"""float32 arrays."""
LOSES = 'conv_backward'
SAYS = ('float32',)
# ---- the student's cell
def conv_backward(dout, x, w, b, stride, pad):
    f = lambda a: a.astype(np.float32)
    return _ref_conv_backward(f(dout), f(x), f(w), f(b), stride, pad)
