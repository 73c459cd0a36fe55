"""np.concatenate of zero blocks."""
REPLACES = ('zero_pad',)
# ---- the student's cell
def zero_pad(x, P):
    N, C, H, W = x.shape
    side = np.zeros((N, C, H, P))
    x = np.concatenate([side, x, side], axis=3)
    top = np.zeros((N, C, P, W + 2 * P))
    return np.concatenate([top, x, top], axis=2)
