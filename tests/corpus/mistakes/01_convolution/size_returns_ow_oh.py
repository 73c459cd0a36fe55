"""Returns (OW, OH)."""
LOSES = 'conv_output_size'
SAYS = ('wrong places',)
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    OH, OW = _ref_conv_output_size(H, W, FH, FW, P, S)
    return OW, OH
