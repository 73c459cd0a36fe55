import numpy as np

BREAKS = ("clip_gradients",)
DIAGNOSIS = "clipped_separately"


def clip_gradients(grads, max_norm):
    out = []
    for g in grads:                                          # each by its own norm
        out.append(g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-6)))
    return out
