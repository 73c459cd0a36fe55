"""H + P instead of H + 2P."""
LOSES = 'conv_output_size'
SAYS = ('one side', '2P')
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    _ref_conv_output_size(H, W, FH, FW, P, S)
    return (H + P - FH) // S + 1, (W + P - FW) // S + 1
