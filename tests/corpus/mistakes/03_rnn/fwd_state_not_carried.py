"""h0 fed each step."""
LOSES = 'rnn_forward'
SAYS = ('carried', 'h0')
# ---- the student's cell
def rnn_forward(x, h0, Wx, Wh, b):
    return np.stack([np.tanh(x[:, t] @ Wx + h0 @ Wh + b) for t in range(x.shape[1])], axis=1)
