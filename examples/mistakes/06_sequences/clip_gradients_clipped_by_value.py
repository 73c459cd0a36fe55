import numpy as np

BREAKS = ("clip_gradients",)
DIAGNOSIS = "clipped_by_value"


def clip_gradients(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads]
