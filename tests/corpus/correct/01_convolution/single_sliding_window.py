"""sliding_window_view + einsum."""
REPLACES = ('conv2d_single',)
# ---- the student's cell
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    windows = sliding_window_view(np.pad(x, pad), w.shape)[::stride, ::stride]
    return np.einsum("ijab,ab->ij", windows, w) + b
