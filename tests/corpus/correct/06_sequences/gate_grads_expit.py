"""SciPy's expit for the sigmoid, the blocks split with np.split."""
REPLACES = ('lstm_gate_grads',)
NEEDS = 'scipy'
# ---- the student's cell
from scipy.special import expit


def lstm_gate_grads(dh_next, dc_next, x, h_prev, c_prev, W, b):
    af, ai, ag, ao = np.split(np.hstack([h_prev, x]) @ W.T + b, 4, axis=1)
    f, i, g, o = expit(af), expit(ai), np.tanh(ag), expit(ao)
    tc = np.tanh(f * c_prev + i * g)
    dc = dc_next + dh_next * o * (1 - tc * tc)
    return dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g * g), dh_next * tc * o * (1 - o)
