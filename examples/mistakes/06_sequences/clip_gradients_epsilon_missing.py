import numpy as np

BREAKS = ("clip_gradients",)
DIAGNOSIS = "epsilon_missing"


def clip_gradients(grads, max_norm):
    total = np.sqrt(sum((g ** 2).sum() for g in grads))
    if total > max_norm:
        return [g * (max_norm / total) for g in grads]
    return [g.copy() for g in grads]
