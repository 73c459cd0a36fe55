"""A segmentation fault in native code (conv2d_single): read address 0."""
import ctypes


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    return ctypes.string_at(0)
