import numpy as np

BREAKS = ("clip_gradients",)
DIAGNOSIS = "always_rescaled"


def clip_gradients(grads, max_norm):
    total = np.sqrt(sum((g ** 2).sum() for g in grads))
    return [g * max_norm / (total + 1e-6) for g in grads]   # no min(1, ...)
