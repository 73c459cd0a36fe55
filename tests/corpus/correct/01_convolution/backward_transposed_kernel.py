"""dx as a full convolution with the flipped kernel; a list."""
REPLACES = ('conv_backward',)
# ---- the student's cell
from numpy.lib.stride_tricks import sliding_window_view


def conv_backward(dout, x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    _, _, OH, OW = dout.shape
    Hp, Wp = H + 2 * pad, W + 2 * pad
    dil = np.zeros((N, F, (OH - 1) * stride + 1, (OW - 1) * stride + 1))
    dil[:, :, ::stride, ::stride] = dout
    full = np.pad(dil, ((0, 0), (0, 0), (FH - 1, FH - 1 + Hp - ((OH - 1) * stride + FH)),
                        (FW - 1, FW - 1 + Wp - ((OW - 1) * stride + FW))))
    win = sliding_window_view(full, (FH, FW), axis=(2, 3))       # (N, F, Hp, Wp, FH, FW)
    dxp = np.einsum("nfhwab,fcab->nchw", win, w[:, :, ::-1, ::-1])
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    xwin = sliding_window_view(xp, (FH, FW), axis=(2, 3))[:, :, ::stride, ::stride][:, :, :OH, :OW]
    dw = np.einsum("ncijab,nfij->fcab", xwin, dout)
    return [dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3))]
