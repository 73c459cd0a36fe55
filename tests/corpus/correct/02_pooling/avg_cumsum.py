"""An integral image."""
REPLACES = ('avg_pool_forward',)
# ---- the student's cell
def avg_pool_forward(x, PH, PW, stride):
    N, C, H, W = x.shape
    S = np.zeros((N, C, H + 1, W + 1))
    S[:, :, 1:, 1:] = x.cumsum(axis=2).cumsum(axis=3)
    r = np.arange(0, H - PH + 1, stride)
    c = np.arange(0, W - PW + 1, stride)
    total = (S[:, :, r[:, None] + PH, c + PW] - S[:, :, r[:, None], c + PW]
             - S[:, :, r[:, None] + PH, c] + S[:, :, r[:, None], c])
    return total / (PH * PW)
