"""np.mean."""
LOSES = 'max_pool_forward'
SAYS = ('average',)
# ---- the student's cell
def max_pool_forward(x, PH, PW, stride):
    return avg_pool_forward(x, PH, PW, stride)
