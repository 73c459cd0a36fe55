"""Return 5 million numbers (40 MB: fits in memory, more than the grader accepts) from zero_pad."""


def zero_pad(x, P):
    return np.ones(5_000_000)
