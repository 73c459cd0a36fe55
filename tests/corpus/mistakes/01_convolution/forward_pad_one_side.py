"""Pads one side."""
LOSES = 'conv_forward'
SAYS = ('one side',)
# ---- the student's cell
def conv_forward(x, w, b, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (0, 2 * pad), (0, 2 * pad)))
    return _ref_conv_forward(xp, w, b, stride, 0)
