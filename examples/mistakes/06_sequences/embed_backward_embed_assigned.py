import numpy as np

BREAKS = ("embed_backward",)
DIAGNOSIS = "embed_assigned"


def embed_backward(demb, tokens, V):
    dE = np.zeros((V, demb.shape[-1]))
    dE[tokens] = demb                                        # repeated tokens: the last one wins
    return dE
