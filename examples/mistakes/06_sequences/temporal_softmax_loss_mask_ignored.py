import numpy as np

BREAKS = ("temporal_softmax_loss",)
DIAGNOSIS = "mask_ignored"


def temporal_softmax_loss(y, targets, mask):
    N, T, V = y.shape
    shifted = y - y.max(axis=2, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=2, keepdims=True)
    loss, dy = 0.0, probs.copy()
    for n in range(N):
        for t in range(T):                   # the padded steps are counted too
            loss -= np.log(probs[n, t, targets[n, t]])
            dy[n, t, targets[n, t]] -= 1
    return loss / N, dy / N
