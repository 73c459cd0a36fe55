import numpy as np

BREAKS = ("lstm_gate_grads",)
DIAGNOSIS = "dc_from_h_missing"


def lstm_gate_grads(dh_next, dc_next, x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.hstack([h_prev, x]) @ W.T + b
    sig = lambda v: 1 / (1 + np.exp(-v))
    f, i, g, o = sig(a[:, :H]), sig(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
    c = f * c_prev + i * g
    dc = dc_next                                             # h = o * tanh(c) forgotten
    return (dc * c_prev * f * (1 - f), dc * g * i * (1 - i), dc * i * (1 - g ** 2),
            dh_next * np.tanh(c) * o * (1 - o))
