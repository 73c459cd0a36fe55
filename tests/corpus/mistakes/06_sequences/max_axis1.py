"""np.max over axis 1."""
LOSES = 'max_over_time'
SAYS = ('axis',)
# ---- the student's cell
def max_over_time(maps):
    return np.max(maps, axis=1)
