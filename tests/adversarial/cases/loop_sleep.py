"""Blocked inside a C call that never returns to the bytecode loop (conv2d_single)."""
import time


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    while True:
        time.sleep(10 ** 6)
