import numpy as np

BREAKS = ("rnn_step_forward",)
DIAGNOSIS = "tanh_missing"


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = x @ Wx + h_prev @ Wh + b
    return h_next
