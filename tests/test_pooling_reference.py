"""02_pooling: what only this assignment has: the lecture's worked example first among the public
cases, inputs without ties, and the backward passes against finite differences. The generic
checks (reference vs oracle, misconceptions, sample mistakes, CUDA, lessons) are in
test_registry.py."""
from __future__ import annotations

import numpy as np
import pytest

import reference.pooling as ref
from autograder.problems import pooling

SEED = 4172                                   # any seed: the layout of the cases is seed-free
HIDDEN = {p.name: p.sample_cases(SEED, hidden=True) for p in pooling.PROBLEMS}


def test_lecture_case_leads_the_public_cases():
    for p in pooling.PROBLEMS:
        assert p.sample_cases(SEED, hidden=False)[0].name == "lecture_4x4_p2x2_s2", p.name


def test_lecture_example():
    x = pooling.LECTURE_X[None, None]
    np.testing.assert_array_equal(ref.max_pool_forward(x, 2, 2, 2)[0, 0], [[2, 3], [4, 2]])
    np.testing.assert_array_equal(ref.avg_pool_forward(x, 2, 2, 2)[0, 0], [[1, 1.5], [2.25, 1]])
    np.testing.assert_array_equal(ref.min_pool_forward(x, 2, 2, 2)[0, 0], [[0, 0], [0, 0]])
    dx = ref.max_pool_backward(pooling.LECTURE_DOUT[None, None], x, 2, 2, 2)[0, 0]
    np.testing.assert_array_equal(dx, [[0, 1, 0, 0], [0, 0, 0, 2], [0, 0, 0, 4], [0, 3, 0, 0]])
    dx = ref.avg_pool_backward(pooling.LECTURE_DOUT[None, None], x, 2, 2, 2)[0, 0]
    np.testing.assert_array_equal(dx, np.kron([[1, 2], [3, 4]], np.ones((2, 2))) / 4)


def test_inputs_have_no_ties():
    for case in HIDDEN["max_pool_forward"][1:]:          # the lecture's integers repeat
        x = case.args[0]
        assert np.unique(x).size == x.size, case.name


@pytest.mark.parametrize("forward, backward", [("max_pool_forward", "max_pool_backward"),
                                               ("avg_pool_forward", "avg_pool_backward")])
def test_backward_matches_finite_differences(forward, backward):
    """dx[k] = d<forward(x), dout>/dx[k] by central differences, one element at a time; the
    distinct inputs keep every maximum where it is under a small step."""
    fwd, eps = getattr(ref, forward), 1e-6
    for case in HIDDEN[backward]:
        dout, x, PH, PW, S = case.args
        numeric = np.zeros_like(x)
        for k in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[k] = eps
            numeric[k] = np.sum((fwd(x + step, PH, PW, S) - fwd(x - step, PH, PW, S)) * dout) / (2 * eps)
        np.testing.assert_allclose(getattr(ref, backward)(*case.args), numeric, rtol=1e-6, atol=1e-8,
                                   err_msg=case.name)
