"""The candidate cell squashed with sigmoid, like the gates."""
import numpy as np

BREAKS = ("candidate_cell",)
DIAGNOSIS = "sigmoid_tanh_swapped"


def candidate_cell(h_prev, x, W_c, b_c):
    z = np.concatenate([h_prev, x], axis=1)
    return 1 / (1 + np.exp(-(z @ W_c.T + b_c)))
