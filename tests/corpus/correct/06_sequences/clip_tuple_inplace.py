"""Scales the given arrays in place and returns them as a tuple."""
REPLACES = ('clip_gradients',)
# ---- the student's cell
def clip_gradients(grads, max_norm):
    total = np.sqrt(np.sum([np.vdot(g, g) for g in grads]))
    if total + 1e-6 > max_norm:
        for g in grads:
            g *= max_norm / (total + 1e-6)
    return tuple(grads)
