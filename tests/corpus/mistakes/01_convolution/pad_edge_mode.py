"""Edge padding, not zeros."""
LOSES = 'zero_pad'
SAYS = ('border', 'padding')
# ---- the student's cell
def zero_pad(x, P):
    return np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)), mode="edge")
