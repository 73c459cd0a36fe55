"""Ceil instead of floor."""
LOSES = 'conv_output_size'
SAYS = ('rounded up',)
# ---- the student's cell
import math
def conv_output_size(H, W, FH, FW, P, S):
    _ref_conv_output_size(H, W, FH, FW, P, S)
    return math.ceil((H + 2 * P - FH) / S) + 1, math.ceil((W + 2 * P - FW) / S) + 1
