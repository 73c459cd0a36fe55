"""as_strided; returns a non-contiguous view."""
REPLACES = ('conv2d_single',)
# ---- the student's cell
from numpy.lib.stride_tricks import as_strided


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    xp = np.ascontiguousarray(np.pad(x, pad))
    FH, FW = w.shape
    OH, OW = (xp.shape[0] - FH) // stride + 1, (xp.shape[1] - FW) // stride + 1
    s0, s1 = xp.strides
    win = as_strided(xp, (OW, OH, FH, FW), (s1 * stride, s0 * stride, s0, s1))
    return (np.tensordot(win, w, axes=([2, 3], [0, 1])) + b).T
