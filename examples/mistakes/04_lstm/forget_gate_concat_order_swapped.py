"""The input x was put first in the concatenation: z = [x, h_prev] instead of [h_prev, x]."""
import numpy as np

BREAKS = ("forget_gate",)
DIAGNOSIS = "concat_order_swapped"


def forget_gate(h_prev, x, W_f, b_f):
    z = np.concatenate([x, h_prev], axis=1)
    return 1 / (1 + np.exp(-(z @ W_f.T + b_f)))
