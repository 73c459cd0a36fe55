"""Per-channel maps, no sum."""
LOSES = 'conv2d_multi'
SAYS = ('channels', 'summed')
# ---- the student's cell
def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    return np.stack([conv2d_single(x[c], w[c], b, stride, pad) for c in range(x.shape[0])])
