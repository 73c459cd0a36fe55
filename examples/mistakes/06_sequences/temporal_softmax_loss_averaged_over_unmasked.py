import numpy as np

BREAKS = ("temporal_softmax_loss",)
DIAGNOSIS = "averaged_over_unmasked"


def temporal_softmax_loss(y, targets, mask):
    N, T, V = y.shape
    shifted = y - y.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    n, t = np.indices((N, T))
    count = mask.sum()                                       # as ignore_index's mean does
    loss = -(log_probs[n, t, targets] * mask).sum() / count
    dy = np.exp(log_probs)
    dy[n, t, targets] -= 1
    dy *= mask[:, :, None] / count
    return loss, dy
