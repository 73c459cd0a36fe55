"""A syntax error."""
LOSES = 'zero_pad'
SAYS = ('failed to load', 'SyntaxError')
# ---- the student's cell
def zero_pad(x, P)
    return np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
