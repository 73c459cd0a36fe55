"""Pads after only."""
LOSES = 'zero_pad'
SAYS = ('one side',)
# ---- the student's cell
def zero_pad(x, P):
    return np.pad(x, ((0, 0), (0, 0), (0, 2 * P), (0, 2 * P)))
