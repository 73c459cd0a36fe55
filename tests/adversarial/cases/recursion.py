"""Endless recursion at the default recursion limit (zero_pad)."""


def zero_pad(x, P):
    return zero_pad(x, P + 1)
