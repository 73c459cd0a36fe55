"""zero_pad returns complex numbers (the right values, imaginary part 0)."""
_zero_pad = zero_pad


def zero_pad(x, P):
    return _zero_pad(x, P).astype(np.complex128)
