"""demb[:, t:t+k] = ... for each window."""
LOSES = 'conv1d_over_time_backward'
SAYS = ('+=',)
# ---- the student's cell
def conv1d_over_time_backward(dmaps, emb, w, b):
    N, L, D = emb.shape
    F, k, _ = w.shape
    demb, dw = np.zeros_like(emb), np.zeros_like(w)
    for t in range(L - k + 1):
        demb[:, t:t + k] = (dmaps[:, :, t] @ w.reshape(F, -1)).reshape(N, k, D)
        dw += (dmaps[:, :, t].T @ emb[:, t:t + k].reshape(N, -1)).reshape(F, k, D)
    return demb, dw, dmaps.sum(axis=(0, 2))
