"""The output size is rounded up (ceil) instead of floored: a partial last window is counted."""
BREAKS = ("conv_output_size",)
DIAGNOSIS = "rounded_up"


def conv_output_size(H, W, FH, FW, P, S):
    if H <= 0 or W <= 0 or FH <= 0 or FW <= 0:
        raise ValueError("sizes must be positive")
    if S < 1:
        raise ValueError("stride must be at least 1")
    if P < 0:
        raise ValueError("padding must be non-negative")
    if FH > H + 2 * P or FW > W + 2 * P:
        raise ValueError("the filter is larger than the padded input")
    OH = int(np.ceil((H + 2 * P - FH) / S)) + 1
    OW = int(np.ceil((W + 2 * P - FW) / S)) + 1
    return OH, OW
