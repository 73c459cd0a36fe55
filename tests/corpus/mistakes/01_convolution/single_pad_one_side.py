"""Pads bottom/right only."""
LOSES = 'conv2d_single'
SAYS = ('one side',)
# ---- the student's cell
def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    xp = np.pad(x, ((0, 2 * pad), (0, 2 * pad)))
    return _ref_conv2d_single(xp, w, b, stride, 0)
