import numpy as np

BREAKS = ("many_to_one",)
DIAGNOSIS = "first_hidden_state"


def many_to_one(x, h0, Wx, Wh, b, Wy, by):
    h = h0
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ Wx + h @ Wh + b)
        states.append(h)
    return states[0] @ Wy + by                               # the first state, not the last
