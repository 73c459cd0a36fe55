"""Computes OH and returns it twice."""
LOSES = 'conv_output_size'
SAYS = ('wrong places',)
# ---- the student's cell
def conv_output_size(H, W, FH, FW, P, S):
    if S <= 0 or P < 0 or H <= 0 or W <= 0 or FH > H + 2 * P or FW > W + 2 * P:
        raise ValueError("bad size")
    OH = (H + 2 * P - FH) // S + 1
    return OH, OH
