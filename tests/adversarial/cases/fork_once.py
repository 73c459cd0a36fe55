"""Every call of conv_output_size forks once and both copies carry on: the copy runs the
rest of the grading loop and writes to the same pipe. Only conv_output_size may suffer."""
import os

_conv_output_size = conv_output_size


def conv_output_size(H, W, FH, FW, P, S):
    os.fork()
    return _conv_output_size(H, W, FH, FW, P, S)
