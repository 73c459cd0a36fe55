"""tensordot; keeps the input dtype."""
REPLACES = ('conv_forward',)
# ---- the student's cell
from numpy.lib.stride_tricks import sliding_window_view


def conv_forward(x, w, b, stride, pad):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3]))      # (N, OH, OW, F)
    return np.moveaxis(out + b, -1, 1)
