"""The loss averaged but dscores not divided by N; cnn_loss inherits the same mistake (and is
named for it), and training takes N times larger steps."""
BREAKS = ("softmax_cross_entropy", "cnn_loss")
ALSO_BREAKS = ("train",)
DIAGNOSIS = "dscores_not_divided"


def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    return loss, dscores
