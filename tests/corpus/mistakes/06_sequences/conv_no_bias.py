"""b never added."""
LOSES = 'conv1d_over_time'
SAYS = ('bias',)
# ---- the student's cell
def conv1d_over_time(emb, w, b):
    N, L, D = emb.shape
    F, k, _ = w.shape
    return np.stack([emb[:, t:t + k].reshape(N, -1) @ w.reshape(F, -1).T
                     for t in range(L - k + 1)], axis=2)
