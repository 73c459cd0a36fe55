"""np.add.at with index grids."""
REPLACES = ('avg_pool_backward',)
# ---- the student's cell
def avg_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros(x.shape)
    share = dout / (PH * PW)
    for a in range(PH):
        for k in range(PW):
            rows = np.arange(OH) * stride + a
            cols = np.arange(OW) * stride + k
            np.add.at(dx, (slice(None), slice(None), rows[:, None], cols[None, :]), share)
    return dx
