"""A list of floats from np.floor."""
REPLACES = ('conv_output_size',)
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    if not (S > 0 and P >= 0 and H > 0 and W > 0 and FH <= H + 2 * P and FW <= W + 2 * P):
        raise ValueError(f"invalid sizes {(H, W, FH, FW, P, S)}")
    return [float(np.floor((H + 2 * P - FH) / S) + 1), float(np.floor((W + 2 * P - FW) / S) + 1)]
