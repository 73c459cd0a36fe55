"""np.array result, a ValueError subclass."""
REPLACES = ('conv_output_size',)
# ---- the student's cell
class ShapeError(ValueError):
    pass


def conv_output_size(H, W, FH, FW, P, S):
    if S <= 0 or P < 0 or H <= 0 or W <= 0:
        raise ShapeError("stride must be positive, padding non-negative, sizes positive")
    if FH > H + 2 * P or FW > W + 2 * P:
        raise ShapeError("the filter does not fit")
    return np.array([(H + 2 * P - FH) // S + 1, (W + 2 * P - FW) // S + 1])
