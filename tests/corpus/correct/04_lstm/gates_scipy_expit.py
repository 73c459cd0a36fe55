"""scipy.special.expit for the sigmoid."""
REPLACES = ('forget_gate',)
NEEDS = "scipy"
# ---- the student's cell
from scipy.special import expit


def forget_gate(h_prev, x, W_f, b_f):
    return expit(np.concatenate([h_prev, x], axis=1) @ W_f.T + b_f)
