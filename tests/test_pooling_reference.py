"""02_pooling: the reference against the PyTorch oracles, the backward passes against finite
differences, the misconceptions against the oracles, and the sample mistakes against both."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
import torch

import reference.pooling as ref
from autograder.problems import pooling

ROOT = Path(__file__).resolve().parents[1]
MISTAKES = sorted((ROOT / "examples" / "mistakes" / "02_pooling").glob("*.py"))
SEED = 4172                                   # course.yaml's hidden seed; the layout is seed-free
PROBLEMS = {p.name: p for p in pooling.PROBLEMS}
HIDDEN = {p.name: p.sample_cases(SEED, hidden=True) for p in pooling.PROBLEMS}


def _torch_args(args, dtype=None, device="cpu"):
    return tuple(torch.as_tensor(a, dtype=dtype, device=device) if isinstance(a, np.ndarray) else a
                 for a in args)


def _oracle(problem, args, dtype=None, device="cpu"):
    return problem.oracle(*_torch_args(args, dtype, device)).detach().cpu().numpy()


def _differs(got, expected, atol=1e-9):
    got = np.asarray(got)
    return got.shape != expected.shape or not np.allclose(got, expected, rtol=0, atol=atol)


def test_notebook_order_and_case_names():
    assert list(PROBLEMS) == ["max_pool_forward", "avg_pool_forward", "min_pool_forward",
                              "max_pool_backward", "avg_pool_backward"]
    for p in pooling.PROBLEMS:
        public = p.sample_cases(SEED, hidden=False)
        assert public[0].name == "lecture_4x4_p2x2_s2"
        assert {c.name for c in public} < {c.name for c in HIDDEN[p.name]}


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


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_reference_matches_oracle_float64(name):
    for case in HIDDEN[name]:
        np.testing.assert_allclose(getattr(ref, name)(*case.args), _oracle(PROBLEMS[name], case.args),
                                   rtol=1e-10, atol=1e-12, err_msg=case.name)


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_reference_matches_oracle_float32(name):
    for case in HIDDEN[name]:
        args32 = tuple(a.astype(np.float32) if isinstance(a, np.ndarray) else a for a in case.args)
        got = getattr(ref, name)(*args32)
        assert got.dtype == np.float32, case.name
        np.testing.assert_allclose(got, _oracle(PROBLEMS[name], args32), rtol=1e-5, atol=1e-5,
                                   err_msg=case.name)


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


MISCONCEPTIONS = [(p.name, m) for p in pooling.PROBLEMS for m in p.misconceptions]


@pytest.mark.parametrize("name, m", MISCONCEPTIONS, ids=[f"{n}-{m.name}" for n, m in MISCONCEPTIONS])
def test_misconception_is_visible(name, m):
    problem = PROBLEMS[name]
    assert set(m.text) == {"en", "ko"}
    differing = [c.name for c in HIDDEN[name]
                 if _differs(m.mimic(*_torch_args(c.args)).numpy(), _oracle(problem, c.args))]
    assert differing, f"{name}: the mimic of {m.name} equals the oracle on every hidden case"


def test_every_misconception_has_a_sample():
    declared = {f"{name}_{m.name}" for name, m in MISCONCEPTIONS}
    samples = {path.stem for path in MISTAKES} - {"unknown_bug"}
    assert declared == samples


def _literals(path):
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("BREAKS", "DIAGNOSIS"):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found["BREAKS"], found["DIAGNOSIS"]


def _submission(path):
    """The reference with the mistake's functions replacing its own, in a fresh namespace."""
    source = Path(ref.__file__).read_text() + "\n\n" + path.read_text()
    namespace = {"__name__": "submission"}
    exec(compile(source, str(path), "exec"), namespace)
    return namespace


@pytest.mark.parametrize("path", MISTAKES, ids=[p.stem for p in MISTAKES])
def test_mistake_breaks_exactly_what_it_says(path):
    """The sample loses exactly BREAKS, and the diagnosis rule (the first misconception whose
    mimic matches the student on every failing case) names DIAGNOSIS, or nothing for None."""
    breaks, diagnosis = _literals(path)
    namespace = _submission(path)
    broken = set()
    for name, problem in PROBLEMS.items():
        got = {c.name: namespace[name](*c.args) for c in HIDDEN[name]}
        failing = [c for c in HIDDEN[name] if _differs(got[c.name], _oracle(problem, c.args))]
        if not failing:
            continue
        broken.add(name)
        named = next((m.name for m in problem.misconceptions
                      if not any(_differs(got[c.name], m.mimic(*_torch_args(c.args)).numpy())
                                 for c in failing)), None)
        assert named == diagnosis, f"{path.name}: {name} is diagnosed as {named}"
    assert broken == set(breaks), path.name


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-10), (torch.float32, 1e-5)])
def test_cuda_oracle_matches_cpu(dtype, tol):
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    for name, problem in PROBLEMS.items():
        for case in HIDDEN[name]:
            np.testing.assert_allclose(_oracle(problem, case.args, dtype, "cuda"),
                                       _oracle(problem, case.args, dtype, "cpu"),
                                       rtol=tol, atol=tol, err_msg=f"{name} {case.name}")
            for m in problem.misconceptions:
                np.testing.assert_allclose(
                    m.mimic(*_torch_args(case.args, dtype, "cuda")).cpu().numpy(),
                    m.mimic(*_torch_args(case.args, dtype, "cpu")).numpy(),
                    rtol=tol, atol=tol, err_msg=f"{name} {m.name} {case.name}")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lesson_marks_every_problem_once_in_order(lang):
    text = (ROOT / "assignments" / "02_pooling" / f"lesson.{lang}.md").read_text(encoding="utf-8")
    markers = [line.strip()[len("<!-- problem:"):-len("-->")].strip()
               for line in text.splitlines() if line.strip().startswith("<!-- problem:")]
    assert markers == list(PROBLEMS)
