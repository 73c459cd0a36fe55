"""One long call into LAPACK (conv_forward): an eigendecomposition of a 4000 x 4000 matrix
takes a minute on one core and never checks for signals."""
import numpy as np


def conv_forward(x, w, b, stride, pad):
    np.linalg.eig(np.random.default_rng(0).standard_normal((4000, 4000)))
    return np.zeros((1,))
