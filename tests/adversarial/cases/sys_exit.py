"""sys.exit inside a call (conv_forward)."""
import sys


def conv_forward(x, w, b, stride, pad):
    sys.exit(0)
