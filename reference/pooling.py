"""Reference solutions for 02_pooling (hidden: never released to students).

Vectorised over batch and channels with a strided window view; the backward passes loop over
the PH*PW offsets inside a window, never over pixels. Each function stands alone (no function
here calls another graded one), so a sample submission that replaces one breaks only that one.
"""
import numpy as np


def _pool_windows(x, PH, PW, stride):
    """A read-only view (N, C, OH, OW, PH, PW) of every pooling window of x (N, C, H, W)."""
    view = np.lib.stride_tricks.sliding_window_view(x, (PH, PW), axis=(-2, -1))
    return view[..., ::stride, ::stride, :, :]


def max_pool_forward(x, PH, PW, stride):
    """(N, C, H, W) -> (N, C, OH, OW), OH = (H - PH) // stride + 1: each window's maximum."""
    return _pool_windows(x, PH, PW, stride).max(axis=(-2, -1))


def avg_pool_forward(x, PH, PW, stride):
    """(N, C, H, W) -> (N, C, OH, OW): each window's mean over its PH*PW elements."""
    return _pool_windows(x, PH, PW, stride).mean(axis=(-2, -1))


def min_pool_forward(x, PH, PW, stride):
    """(N, C, H, W) -> (N, C, OH, OW): each window's minimum."""
    return _pool_windows(x, PH, PW, stride).min(axis=(-2, -1))


def _scatter_windows(dwin, shape, stride):
    """The adjoint of _pool_windows: adds dwin (N, C, OH, OW, PH, PW) back onto a zero array of
    x's shape, accumulating where windows overlap (stride < window)."""
    OH, OW, PH, PW = dwin.shape[-4:]
    dx = np.zeros(shape, dtype=dwin.dtype)
    for a in range(PH):                         # a loop over the window, not over pixels
        for b in range(PW):
            dx[..., a:a + stride * OH:stride, b:b + stride * OW:stride] += dwin[..., a, b]
    return dx


def max_pool_backward(dout, x, PH, PW, stride):
    """dx (N, C, H, W): each dout goes to its window's maximum (the first one on a tie, as
    torch does); every other element gets 0. Overlapping windows add up."""
    win = _pool_windows(x, PH, PW, stride)
    flat = win.reshape(*win.shape[:-2], PH * PW)
    first_max = flat.argmax(axis=-1)[..., None] == np.arange(PH * PW)   # one-hot, (..., PH*PW)
    dwin = (first_max * dout[..., None]).reshape(win.shape)
    return _scatter_windows(dwin.astype(np.result_type(dout, x), copy=False), x.shape, stride)


def avg_pool_backward(dout, x, PH, PW, stride):
    """dx (N, C, H, W): each element of a window gets dout / (PH*PW). Overlapping windows add up."""
    share = dout / (PH * PW)
    dwin = np.broadcast_to(share[..., None, None], (*dout.shape, PH, PW))
    return _scatter_windows(dwin.astype(np.result_type(dout, x), copy=False), x.shape, stride)
