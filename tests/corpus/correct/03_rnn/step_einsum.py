"""einsum."""
REPLACES = ('rnn_step_forward',)
# ---- the student's cell
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    return np.tanh(np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", h_prev, Wh) + b)
