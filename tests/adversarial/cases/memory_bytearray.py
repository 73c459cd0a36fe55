"""Ask for 50 GB at once (conv2d_single)."""


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    hog = bytearray(50 * 10 ** 9)
    return hog
