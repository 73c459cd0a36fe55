"""Each array clipped by its own norm."""
LOSES = 'clip_gradients'
SAYS = ('global',)
# ---- the student's cell
def clip_gradients(grads, max_norm):
    out = []
    for g in grads:
        n = np.sqrt((g * g).sum())
        out.append(g * max_norm / (n + 1e-6) if n > max_norm else g)
    return out
