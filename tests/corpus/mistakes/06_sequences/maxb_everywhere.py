"""dpooled broadcast to every position."""
LOSES = 'max_over_time_backward'
SAYS = ('every position',)
# ---- the student's cell
def max_over_time_backward(dpooled, maps):
    return np.broadcast_to(dpooled[:, :, None], maps.shape).copy()
