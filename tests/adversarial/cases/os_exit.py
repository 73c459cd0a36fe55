"""The process exits quietly in the middle of a call (conv2d_multi)."""
import os


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    os._exit(0)
