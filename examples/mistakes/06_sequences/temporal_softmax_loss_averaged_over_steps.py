import numpy as np

BREAKS = ("temporal_softmax_loss",)
DIAGNOSIS = "averaged_over_steps"


def temporal_softmax_loss(y, targets, mask):
    N, T, V = y.shape
    flat, t, m = y.reshape(N * T, V), targets.reshape(-1), mask.reshape(-1)
    shifted = flat - flat.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N * T)
    loss = -np.sum(m * log_probs[rows, t]) / (N * T)        # a mean over every step
    dy = np.exp(log_probs)
    dy[rows, t] -= 1
    dy *= m[:, None] / (N * T)
    return loss, dy.reshape(N, T, V)
