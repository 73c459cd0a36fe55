"""Endless recursion with the recursion limit lifted (conv_output_size): the C stack or the
time limit ends it."""
import sys


def conv_output_size(H, W, FH, FW, P, S):
    sys.setrecursionlimit(10 ** 7)

    def deeper(n):
        return deeper(n + 1) + 1
    return deeper(0)
