"""Reference solutions for 01_convolution (hidden: never released to students).

Vectorised with a strided window view: no Python loop over pixels.
"""
import numpy as np


def conv_output_size(H, W, FH, FW, P, S):
    """OH = (H + 2P - FH) // S + 1, floored as torch.nn.Conv2d does."""
    if min(H, W, FH, FW) <= 0:
        raise ValueError(f"sizes must be positive, got H={H}, W={W}, FH={FH}, FW={FW}")
    if S < 1:
        raise ValueError(f"stride must be at least 1, got {S}")
    if P < 0:
        raise ValueError(f"padding must be non-negative, got {P}")
    if FH > H + 2 * P or FW > W + 2 * P:
        raise ValueError(f"filter {FH}x{FW} is larger than the padded input {H + 2 * P}x{W + 2 * P}")
    return (H + 2 * P - FH) // S + 1, (W + 2 * P - FW) // S + 1


def zero_pad(x, P):
    """Pads only the last two axes (H, W) of (N, C, H, W) with P zeros on each side."""
    return np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))


def _windows(x, FH, FW, S):
    """A read-only view (..., OH, OW, FH, FW) of every window of x's last two axes."""
    view = np.lib.stride_tricks.sliding_window_view(x, (FH, FW), axis=(-2, -1))
    return view[..., ::S, ::S, :, :]


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    """One channel: x (H, W), w (FH, FW) -> (OH, OW)."""
    xp = np.pad(x, pad)
    return np.einsum("ijkl,kl->ij", _windows(xp, *w.shape, stride), w) + b


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    """Channels summed: x (C, H, W), w (C, FH, FW) -> (OH, OW)."""
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    return np.einsum("cijkl,ckl->ij", _windows(xp, *w.shape[1:], stride), w) + b


def conv_forward(x, w, b, stride, pad):
    """x (N, C, H, W), w (F, C, FH, FW), b (F,) -> (N, F, OH, OW)."""
    N, F = x.shape[0], w.shape[0]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = _windows(xp, *w.shape[2:], stride)                  # (N, C, OH, OW, FH, FW)
    OH, OW = cols.shape[2:4]
    # im2col laid out (C*FH*FW, N*OH*OW), contiguous along OW: one matrix product
    cols = cols.transpose(1, 4, 5, 0, 2, 3).reshape(-1, N * OH * OW)
    out = (w.reshape(F, -1) @ cols).reshape(F, N, OH, OW)
    return out.transpose(1, 0, 2, 3) + b[None, :, None, None]


def conv_backward(dout, x, w, b, stride, pad):
    """Gradients of conv_forward: dx (N, C, H, W), dw (F, C, FH, FW), db (F,)."""
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    OH, OW = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = _windows(xp, FH, FW, stride)                         # (N, C, OH, OW, FH, FW)
    db = dout.sum(axis=(0, 2, 3))
    dw = np.tensordot(dout, cols, axes=([0, 2, 3], [0, 2, 3]))   # (F, C, FH, FW)
    dcols = np.tensordot(dout, w, axes=([1], [0]))              # (N, OH, OW, C, FH, FW)
    dxp = np.zeros_like(xp)
    for i in range(FH):                                         # a loop over the filter, not pixels
        for j in range(FW):
            dxp[:, :, i:i + stride * OH:stride, j:j + stride * OW:stride] += \
                dcols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, db
