"""No input checks."""
LOSES = 'conv_output_size'
SAYS = ('ValueError',)
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    S = S or 1
    return (H + 2 * P - FH) // S + 1, (W + 2 * P - FW) // S + 1
