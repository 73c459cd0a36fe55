"""dW and db kept from the first step of the backward loop (t = T - 1) only."""
LOSES = 'lstm_backward'
SAYS = ('time step(s) last only',)
# ---- the student's cell
def lstm_backward(dh, x, h0, W, b):
    T = x.shape[1]
    h, c, caches = h0, np.zeros_like(h0), []
    for t in range(T):
        h, c, cache = _step(x[:, t], h, c, W, b)
        caches.append(cache)
    dx = np.empty_like(x)
    dW = db = None
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        dx[:, t], dh_next, dc_next, dW_t, db_t = _step_back(dh[:, t] + dh_next, dc_next, W,
                                                            caches[t])
        if dW is None:
            dW, db = dW_t, db_t
    return dx, dh_next, dW, db
