"""einsum over channels."""
REPLACES = ('conv2d_multi',)
# ---- the student's cell
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    win = sliding_window_view(xp, w.shape[1:], axis=(1, 2))[:, ::stride, ::stride]
    return np.einsum("cijab,cab->ij", win, w) + b
