"""Forgets the return."""
LOSES = 'zero_pad'
SAYS = ('return',)
# ---- the student's cell
def zero_pad(x, P):
    out = np.zeros((x.shape[0], x.shape[1], x.shape[2] + 2 * P, x.shape[3] + 2 * P))
    out[:, :, P:P + x.shape[2], P:P + x.shape[3]] = x
