"""A fork bomb (conv2d_multi): every process forks again. 2**8 = 256 processes at most even
without a cap (this corpus must not take the machine down if the cap fails); under the
sandbox's cap a fork fails with BlockingIOError long before. The test runs it only when a
probe shows that the sandbox caps the number of processes."""
import os


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    for _ in range(8):
        os.fork()
    return np.zeros((1, 1))
