"""torch in the cell."""
LOSES = 'conv_output_size'
SAYS = ('failed to load', 'not allowed')
# ---- the student's cell
import torch
def conv_output_size(H, W, FH, FW, P, S):
    return _ref_conv_output_size(H, W, FH, FW, P, S)
