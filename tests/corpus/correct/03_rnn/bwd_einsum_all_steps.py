"""Per-step da, then the weights by einsum."""
REPLACES = ('rnn_backward',)
# ---- the student's cell
def rnn_backward(dh, x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = rnn_forward(x, h0, Wx, Wh, b)
    prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    da = np.zeros_like(h)
    carry = np.zeros_like(h0)
    for t in reversed(range(T)):
        da[:, t] = (dh[:, t] + carry) * (1 - h[:, t] ** 2)
        carry = da[:, t] @ Wh.T
    return (np.einsum("nth,dh->ntd", da, Wx), carry, np.einsum("ntd,nth->dh", x, da),
            np.einsum("ntk,nth->kh", prev, da), da.sum(axis=(0, 1)))
