"""exp(y) without subtracting the max: overflows on large scores."""
LOSES = 'temporal_softmax_loss'
SAYS = ('overflow',)
# ---- the student's cell
def temporal_softmax_loss(y, targets, mask):
    N, T, V = y.shape
    e = np.exp(y)
    p = e / e.sum(axis=2, keepdims=True)
    onehot = np.eye(V)[targets]
    m = mask[..., None]
    return -(onehot * np.log(p) * m).sum() / N, (p - onehot) * m / N
