"""The position of the max as a boolean mask (the cases have no ties)."""
REPLACES = ('max_over_time_backward',)
# ---- the student's cell
def max_over_time_backward(dpooled, maps):
    is_max = maps == maps.max(axis=2, keepdims=True)
    return is_max * dpooled[:, :, None]
