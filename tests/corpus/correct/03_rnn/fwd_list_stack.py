"""A list, stacked on axis 1."""
REPLACES = ('rnn_forward',)
# ---- the student's cell
def rnn_forward(x, h0, Wx, Wh, b):
    hs, h = [], h0
    for t in range(x.shape[1]):
        h = rnn_step_forward(x[:, t, :], h, Wx, Wh, b)
        hs.append(h)
    return np.stack(hs, axis=1)
