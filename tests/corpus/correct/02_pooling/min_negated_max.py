"""-max(-x), Fortran-ordered result."""
REPLACES = ('min_pool_forward',)
# ---- the student's cell
def min_pool_forward(x, PH, PW, stride):
    return np.asfortranarray(-max_pool_forward(-x, PH, PW, stride))
