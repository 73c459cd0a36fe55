"""OW with FH."""
LOSES = 'conv_output_size'
SAYS = ('wrong places', 'off by', 'depends on FH')
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    OH, OW = _ref_conv_output_size(H, W, FH, FW, P, S)
    return OH, (W + 2 * P - FH) // S + 1
