"""An average instead of the max."""
LOSES = 'max_over_time'
SAYS = ('averaged',)
# ---- the student's cell
def max_over_time(maps):
    return maps.sum(axis=2) / maps.shape[2]
