"""Time-major buffer, returned as a transposed view."""
REPLACES = ('rnn_forward',)
# ---- the student's cell
def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.empty((T, N, h0.shape[1]))
    prev = h0
    for t in range(T):
        prev = h[t] = np.tanh(x[:, t] @ Wx + prev @ Wh + b)
    return h.transpose(1, 0, 2)
