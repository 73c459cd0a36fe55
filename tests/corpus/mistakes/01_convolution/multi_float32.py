"""float32 accumulator."""
LOSES = 'conv2d_multi'
SAYS = ('float32',)
# ---- the student's cell
def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    return _ref_conv2d_multi(x.astype(np.float32), w.astype(np.float32), b, stride, pad).astype(np.float32)
