import numpy as np

BREAKS = ("temporal_softmax_loss",)
DIAGNOSIS = "dy_not_divided"


def temporal_softmax_loss(y, targets, mask):
    N, T, V = y.shape
    shifted = y - y.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    n, t = np.indices((N, T))
    loss = -(log_probs[n, t, targets] * mask).sum() / N
    dy = np.exp(log_probs)
    dy[n, t, targets] -= 1
    dy *= mask[:, :, None]                                   # not divided by N
    return loss, dy
