"""The filter reversed along time."""
LOSES = 'conv1d_over_time'
SAYS = ('flipped',)
# ---- the student's cell
def conv1d_over_time(emb, w, b):
    N, L, D = emb.shape
    F, k, _ = w.shape
    out = np.zeros((N, F, L - k + 1))
    for t in range(L - k + 1):
        out[:, :, t] = np.tensordot(emb[:, t:t + k], np.flip(w, 1), axes=([1, 2], [1, 2])) + b
    return out
