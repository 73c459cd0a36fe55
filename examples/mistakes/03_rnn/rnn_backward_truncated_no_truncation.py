import numpy as np

BREAKS = ("rnn_backward_truncated",)
DIAGNOSIS = "no_truncation"


def rnn_backward_truncated(dh, x, h0, Wx, Wh, b, k):
    return rnn_backward(dh, x, h0, Wx, Wh, b)
