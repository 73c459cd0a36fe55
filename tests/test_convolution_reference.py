"""01_convolution: what only this assignment has: the lectures' worked examples, the cases the
bugs need, the size errors and the backward pass against finite differences. The generic checks
(reference vs oracle, misconceptions, sample mistakes, CUDA, lessons) are in test_registry.py."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
import torch

import reference.convolution as ref
from autograder.problems import convolution as conv

SEED = 4172                          # any seed: the layout of the cases is seed-free
PROBLEMS = {p.name: p for p in conv.PROBLEMS}


@lru_cache(maxsize=None)
def _hidden(name, seed=SEED):
    return tuple(PROBLEMS[name].sample_cases(seed, hidden=True))


def _oracle(problem, args):
    """The oracle's outputs (tensors or ints) on a case's arguments, as float64 arrays."""
    out = problem.oracle(*(torch.as_tensor(a) if isinstance(a, np.ndarray) else a for a in args))
    parts = out if len(problem.outputs) > 1 else (out,)
    return tuple(np.asarray(p.detach().cpu().numpy() if torch.is_tensor(p) else p, dtype=np.float64)
                 for p in parts)


def test_lecture_cases_lead_the_public_cases():
    public = [c.name for c in PROBLEMS["conv2d_single"].sample_cases(SEED, hidden=False)]
    assert public[:4] == ["lecture_4x4", "lecture_bias3", "lecture_pad1", "lecture_7x7_s2"]


def test_cases_cover_what_the_bugs_need():
    layers = [c.args for c in _hidden("conv_forward")]
    assert any(x.shape[0] >= 2 for x, *_ in layers)                      # N >= 2
    assert any(x.shape[1] >= 2 for x, *_ in layers)                      # C >= 2
    assert any(S >= 2 for *_, S, P in layers) and any(P >= 1 for *_, S, P in layers)
    assert any((x.shape[2] + 2 * P - w.shape[2]) % S for x, w, b, S, P in layers)   # floors
    assert any(w.shape[2] != w.shape[3] for x, w, *_ in layers)          # FH != FW


LECTURE = {  # (b, stride, pad) -> the lecture's worked answer
    "lecture_4x4": (conv.LECTURE_X, 0.0, 1, 0, [[15, 16], [6, 15]]),
    "lecture_bias3": (conv.LECTURE_X, 3.0, 1, 0, [[18, 19], [9, 18]]),
    "lecture_pad1": (conv.LECTURE_X, 0.0, 1, 1, [[7, 12, 10, 2], [4, 15, 16, 10],
                                                 [10, 6, 15, 6], [8, 10, 4, 3]]),
    "lecture_7x7_s2": (conv.LECTURE_X7, 0.0, 2, 0, [[15, 17, 15], [17, 15, 17], [15, 17, 15]]),
}


@pytest.mark.parametrize("case_name", list(LECTURE))
def test_lecture_examples_are_public_cases(case_name):
    x, b, S, P, answer = LECTURE[case_name]
    np.testing.assert_array_equal(ref.conv2d_single(x, conv.LECTURE_W, b, S, P), answer)
    public = {c.name: c for c in PROBLEMS["conv2d_single"].sample_cases(SEED, hidden=False)}
    case = public[case_name]
    np.testing.assert_array_equal(case.args[0], x)
    np.testing.assert_array_equal(case.args[1], conv.LECTURE_W)
    assert case.args[2:] == (b, S, P)
    np.testing.assert_array_equal(_oracle(PROBLEMS["conv2d_single"], case.args)[0], answer)


def test_lecture_example_other_layouts():
    """The same numbers through the batched layer, and the 2-channel case's two halves."""
    x, w = conv.LECTURE_X[None, None], conv.LECTURE_W[None, None]
    np.testing.assert_array_equal(ref.conv_forward(x, w, np.array([3.0]), 1, 0)[0, 0],
                                  [[18, 19], [9, 18]])
    (case,) = [c for c in _hidden("conv2d_multi") if c.name == "lecture_2ch"]
    xs, ws = case.args[0], case.args[1]
    np.testing.assert_array_equal(ref.conv2d_multi(*case.args),
                                  ref.conv2d_single(xs[0], ws[0]) + ref.conv2d_single(xs[1], ws[1]))


def test_output_size_errors_raise():
    cases = _hidden("conv_output_size")
    errors = [c for c in cases if c.raises is not None]
    assert {c.name for c in errors} >= {"stride0", "negative_pad", "filter_too_big",
                                        "zero_height", "negative_width"}
    for case in errors:
        with pytest.raises(case.raises):
            ref.conv_output_size(*case.args)


def test_backward_matches_finite_differences():
    """dx, dw, db of <conv_forward(x, w, b), dout> by central differences, one element at a
    time (the forward is linear in each argument, so the differences are exact up to rounding)."""
    cases = _hidden("conv_backward")
    assert any(c.args[4] == 2 for c in cases) and any(c.args[5] == 1 for c in cases)
    eps = 1e-6
    for case in cases:
        dout, x, w, b, S, P = case.args
        args = [x, w, b]
        for k, analytic in enumerate(ref.conv_backward(*case.args)):
            numeric = np.zeros_like(args[k])
            for idx in np.ndindex(args[k].shape):
                plus, minus = [a.copy() for a in args], [a.copy() for a in args]
                plus[k][idx] += eps
                minus[k][idx] -= eps
                numeric[idx] = np.sum((ref.conv_forward(*plus, S, P)
                                       - ref.conv_forward(*minus, S, P)) * dout) / (2 * eps)
            np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7,
                                       err_msg=f"{case.name} {'dx dw db'.split()[k]}")
