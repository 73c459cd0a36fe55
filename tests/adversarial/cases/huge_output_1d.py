"""Return 10**9 float64 (8 GB) from conv_forward."""


def conv_forward(x, w, b, stride, pad):
    return np.zeros(10 ** 9)
