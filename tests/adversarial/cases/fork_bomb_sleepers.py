"""A fork bomb whose processes all stay alive (conv_forward): the call hangs until the time
limit, and every process must die with the sandbox. At most 2**8 processes even without a
cap; run only when a probe shows the sandbox caps processes."""
import os
import time


def conv_forward(x, w, b, stride, pad):
    try:
        for _ in range(8):
            os.fork()
    except OSError:
        pass
    while True:
        time.sleep(1)
