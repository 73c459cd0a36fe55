"""Rescaled to max_norm whatever the norm."""
LOSES = 'clip_gradients'
SAYS = ('only shrinks',)
# ---- the student's cell
def clip_gradients(grads, max_norm):
    total = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
    return [g * (max_norm / (total + 1e-6)) for g in grads]
