"""np.clip by value."""
LOSES = 'clip_gradients'
SAYS = ('clip_grad_value_',)
# ---- the student's cell
def clip_gradients(grads, max_norm):
    return [np.minimum(np.maximum(g, -max_norm), max_norm) for g in grads]
