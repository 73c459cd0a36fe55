"""Forgets the + 1."""
LOSES = 'conv_output_size'
SAYS = ('off by',)
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    OH, OW = _ref_conv_output_size(H, W, FH, FW, P, S)
    return OH - 1, OW - 1
