"""np.array(list) is (T, N, H)."""
LOSES = 'rnn_forward'
SAYS = ('(N, T, H)',)
# ---- the student's cell
def rnn_forward(x, h0, Wx, Wh, b):
    h, hs = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        hs.append(h)
    return np.array(hs)
