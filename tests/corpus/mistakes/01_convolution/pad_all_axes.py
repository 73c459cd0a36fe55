"""np.pad(x, P) pads N and C too."""
LOSES = 'zero_pad'
SAYS = ('N or C', 'spatial', '(N, C, H + 2P, W + 2P)')
# ---- the student's cell
def zero_pad(x, P):
    return np.pad(x, P)
