"""sigmoid for g."""
LOSES = 'candidate_cell'
SAYS = ('sigmoid', 'tanh')
# ---- the student's cell
def candidate_cell(h_prev, x, W, b):
    return 1 / (1 + np.exp(-(np.concatenate([h_prev, x], axis=1) @ W.T + b)))
