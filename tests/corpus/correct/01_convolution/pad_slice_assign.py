"""Preallocate and assign."""
REPLACES = ('zero_pad',)
# ---- the student's cell
def zero_pad(x, P):
    N, C, H, W = x.shape
    out = np.zeros((N, C, H + 2 * P, W + 2 * P), dtype=x.dtype)
    out[:, :, P:P + H, P:P + W] = x
    return out
