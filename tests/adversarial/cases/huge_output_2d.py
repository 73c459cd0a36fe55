"""Return three (10**5, 10**5) arrays (80 GB each) from conv_backward."""


def conv_backward(dout, x, w, b, stride, pad):
    big = np.zeros((10 ** 5, 10 ** 5))
    return big, big, big
