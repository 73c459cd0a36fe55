"""dE[tokens] += demb: buffered, a repeated token adds once."""
LOSES = 'embed_backward'
SAYS = ('np.add.at',)
# ---- the student's cell
def embed_backward(demb, tokens, V):
    dE = np.zeros((V, demb.shape[2]))
    dE[tokens] += demb
    return dE
