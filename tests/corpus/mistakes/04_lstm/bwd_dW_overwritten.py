"""dW = dW_t: assigned at each step of the backward loop (the last visited, t = 0, remains)."""
LOSES = 'lstm_backward'
SAYS = ('time step(s) 0 only', "one step's contribution")
# ---- the student's cell
def lstm_backward(dh, x, h0, W, b):
    T = x.shape[1]
    h, c, caches = h0, np.zeros_like(h0), []
    for t in range(T):
        h, c, cache = _step(x[:, t], h, c, W, b)
        caches.append(cache)
    dx = np.empty_like(x)
    dW, db = np.zeros_like(W), np.zeros_like(b)
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        dx[:, t], dh_next, dc_next, dW, db = _step_back(dh[:, t] + dh_next, dc_next, W, caches[t])
    return dx, dh_next, dW, db
