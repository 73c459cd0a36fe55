"""2P on each side."""
LOSES = 'zero_pad'
SAYS = ('shape',)
# ---- the student's cell
def zero_pad(x, P):
    return np.pad(x, ((0, 0), (0, 0), (2 * P, 2 * P), (2 * P, 2 * P)))
