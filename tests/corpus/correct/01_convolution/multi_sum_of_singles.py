"""Sum of per-channel convolutions, bias once."""
REPLACES = ('conv2d_multi',)
# ---- the student's cell
def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    out = sum(conv2d_single(x[c], w[c], 0.0, stride, pad) for c in range(x.shape[0]))
    return out + b
