"""Padding counted once: H + P instead of H + 2P."""
BREAKS = ("conv_output_size",)
DIAGNOSIS = "padding_once"


def conv_output_size(H, W, FH, FW, P, S):
    if H <= 0 or W <= 0 or FH <= 0 or FW <= 0:
        raise ValueError("sizes must be positive")
    if S < 1:
        raise ValueError("stride must be at least 1")
    if P < 0:
        raise ValueError("padding must be non-negative")
    OH = (H + P - FH) // S + 1
    OW = (W + P - FW) // S + 1
    if OH < 1 or OW < 1:
        raise ValueError("the filter is larger than the padded input")
    return OH, OW
