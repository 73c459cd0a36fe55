"""W split into the h and x blocks instead of a concatenation; a stable sigmoid."""
REPLACES = ('forget_gate', 'input_gate', 'output_gate', 'candidate_cell')
# ---- the student's cell
def _sig(a):
    return 0.5 * (1 + np.tanh(0.5 * a))


def _pre(h_prev, x, W, b):
    H = h_prev.shape[1]
    return h_prev @ W[:, :H].T + x @ W[:, H:].T + b


def forget_gate(h_prev, x, W_f, b_f):
    return _sig(_pre(h_prev, x, W_f, b_f))


def input_gate(h_prev, x, W_i, b_i):
    return _sig(_pre(h_prev, x, W_i, b_i))


def output_gate(h_prev, x, W_o, b_o):
    return _sig(_pre(h_prev, x, W_o, b_o))


def candidate_cell(h_prev, x, W_c, b_c):
    return np.tanh(_pre(h_prev, x, W_c, b_c))
