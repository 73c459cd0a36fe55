"""The output gate squashed with tanh, as if it were the candidate."""
import numpy as np

BREAKS = ("output_gate",)
DIAGNOSIS = "sigmoid_tanh_swapped"


def output_gate(h_prev, x, W_o, b_o):
    z = np.concatenate([h_prev, x], axis=1)
    return np.tanh(z @ W_o.T + b_o)
