"""assert instead of raise."""
LOSES = 'conv_output_size'
SAYS = ('ValueError',)
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    assert S > 0 and P >= 0 and FH <= H + 2 * P and FW <= W + 2 * P and H > 0 and W > 0
    return (H + 2 * P - FH) // S + 1, (W + 2 * P - FW) // S + 1
