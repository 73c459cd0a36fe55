"""Computes in float32."""
LOSES = 'conv2d_single'
SAYS = ('float32',)
# ---- the student's cell
def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    return _ref_conv2d_single(x.astype(np.float32), w.astype(np.float32), np.float32(b), stride, pad)
