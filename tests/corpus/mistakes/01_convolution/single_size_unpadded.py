"""Output size from the unpadded H."""
LOSES = 'conv2d_single'
SAYS = ('shape',)
# ---- the student's cell
def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    out = _ref_conv2d_single(x, w, b, stride, pad)
    OH = (x.shape[0] - w.shape[0]) // stride + 1
    OW = (x.shape[1] - w.shape[1]) // stride + 1
    return out[:OH, :OW]
