"""01_convolution: the reference against the PyTorch oracles and the lectures' worked examples,
the backward pass against finite differences, the misconceptions against the oracles, and the
sample mistakes against both."""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import torch

import reference.convolution as ref
from autograder.problems import convolution as conv
from autograder.registry import DEFAULT_TOLERANCE

ROOT = Path(__file__).resolve().parents[1]
MISTAKES = sorted((ROOT / "examples" / "mistakes" / "01_convolution").glob("*.py"))
SEED = 4172                          # course.yaml's hidden seed; the layout is seed-free
SEEDS = (SEED, 0, 7)                 # the diagnoses must not hinge on one draw of the values
PROBLEMS = {p.name: p for p in conv.PROBLEMS}
TOL64 = DEFAULT_TOLERANCE["float64"]      # what the grader's diagnosis compares with


@lru_cache(maxsize=None)
def _hidden(name, seed=SEED):
    return tuple(PROBLEMS[name].sample_cases(seed, hidden=True))


def _valued(name, seed=SEED):
    """The hidden cases that have an output (not the ValueError cases)."""
    return [c for c in _hidden(name, seed) if c.raises is None]


def _torch_args(args, dtype=None, device="cpu"):
    return tuple(torch.as_tensor(a, dtype=dtype, device=device) if isinstance(a, np.ndarray) else a
                 for a in args)


def _arrays(value, n):
    """A returned value (arrays, tensors or ints; a tuple when n > 1) as float64 arrays."""
    parts = value if n > 1 else (value,)
    return tuple(np.asarray(p.detach().cpu().numpy() if torch.is_tensor(p) else p, dtype=np.float64)
                 for p in parts)


def _call(fn, problem, args, dtype=None, device="cpu"):
    return _arrays(fn(*_torch_args(args, dtype, device)), len(problem.outputs))


def _oracle(problem, args, dtype=None, device="cpu"):
    return _call(problem.oracle, problem, args, dtype, device)


@lru_cache(maxsize=None)
def _expected(name, seed=SEED):
    return {c.name: _oracle(PROBLEMS[name], c.args) for c in _valued(name, seed)}


@lru_cache(maxsize=None)
def _mimicked(name, m_name, seed=SEED):
    problem = PROBLEMS[name]
    m = next(m for m in problem.misconceptions if m.name == m_name)
    return {c.name: _call(m.mimic, problem, c.args) for c in _valued(name, seed)}


def _same(got, expected):
    """The grader's closeness (rtol 1e-7, atol 1e-9, same shapes) on every output."""
    return len(got) == len(expected) and all(
        a.shape == e.shape and np.all(np.abs(a - e) <= TOL64.atol + TOL64.rtol * np.abs(e))
        for a, e in zip(got, expected))


def test_notebook_order_and_case_names():
    assert list(PROBLEMS) == ["conv_output_size", "zero_pad", "conv2d_single", "conv2d_multi",
                              "conv_forward", "conv_backward"]
    for p in conv.PROBLEMS:
        assert p.assignment == "01_convolution"
        public = p.sample_cases(SEED, hidden=False)
        assert {c.name for c in public} < {c.name for c in _hidden(p.name)}
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


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_reference_matches_oracle_float64(name):
    problem = PROBLEMS[name]
    for case in _valued(name):
        got = _arrays(getattr(ref, name)(*case.args), len(problem.outputs))
        for out, g, e in zip(problem.outputs, got, _expected(name)[case.name]):
            np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12, err_msg=f"{case.name} {out}")


@pytest.mark.parametrize("name", [p.name for p in conv.PROBLEMS if p.float32])
def test_reference_matches_oracle_float32(name):
    problem = PROBLEMS[name]
    for case in _valued(name):
        args32 = tuple(a.astype(np.float32) if isinstance(a, np.ndarray) else a for a in case.args)
        got = getattr(ref, name)(*args32)
        got = got if len(problem.outputs) > 1 else (got,)
        expected = _oracle(problem, args32)
        for out, g, e in zip(problem.outputs, got, expected):
            assert g.dtype == np.float32, f"{case.name} {out}"
            np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-5, err_msg=f"{case.name} {out}")


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


MISCONCEPTIONS = [(p.name, m) for p in conv.PROBLEMS for m in p.misconceptions]


@pytest.mark.parametrize("name, m", MISCONCEPTIONS, ids=[f"{n}-{m.name}" for n, m in MISCONCEPTIONS])
def test_misconception_is_visible(name, m):
    assert set(m.text) == {"en", "ko"}
    for seed in SEEDS:
        differing = [c for c, got in _mimicked(name, m.name, seed).items()
                     if not _same(got, _expected(name, seed)[c])]
        assert differing, f"{name}: the mimic of {m.name} equals the oracle on every hidden case"


def test_every_misconception_has_a_sample():
    declared = {f"{name}_{m.name}" for name, m in MISCONCEPTIONS}
    samples = {path.stem for path in MISTAKES} - {"unknown_bug"}
    assert declared == samples
    assert (ROOT / "examples" / "mistakes" / "01_convolution" / "unknown_bug.py").exists()


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


def _grade(fn, name, seed):
    """(broken, diagnosis) as the grader decides them: broken when a valued case differs or
    raises, or an error case does not raise its error; the diagnosis is the first
    misconception whose mimic matches the student on every failing float64 case."""
    problem = PROBLEMS[name]
    broken, failing, got = False, [], {}
    for case in _hidden(name, seed):
        if case.raises is not None:
            try:
                fn(*case.args)
                broken = True
            except case.raises:
                pass
            except Exception:
                broken = True
            continue
        try:
            got[case.name] = _arrays(fn(*case.args), len(problem.outputs))
        except Exception:
            broken = True
            continue
        if not _same(got[case.name], _expected(name, seed)[case.name]):
            broken = True
            failing.append(case.name)
    if not failing:
        return broken, None
    named = next((m.name for m in problem.misconceptions
                  if all(_same(got[c], _mimicked(name, m.name, seed)[c]) for c in failing)), None)
    return broken, named


@pytest.mark.parametrize("path", MISTAKES, ids=[p.stem for p in MISTAKES])
def test_mistake_breaks_exactly_what_it_says(path):
    """The sample loses exactly BREAKS, and the diagnosis rule names DIAGNOSIS (None: no rule
    knows it), on the course's hidden seed and on two others."""
    breaks, diagnosis = _literals(path)
    assert set(breaks) <= set(PROBLEMS), path.name
    if diagnosis is not None:
        assert path.stem in {f"{b}_{diagnosis}" for b in breaks}, path.name
    namespace = _submission(path)
    for seed in SEEDS:
        broken = set()
        for name in PROBLEMS:
            is_broken, named = _grade(namespace[name], name, seed)
            if is_broken:
                broken.add(name)
                assert named == diagnosis, f"{path.name}, seed {seed}: {name} is diagnosed as {named}"
        assert broken == set(breaks), f"{path.name}, seed {seed}"


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-10), (torch.float32, 1e-5)])
def test_cuda_oracle_matches_cpu(dtype, tol):
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    for name, problem in PROBLEMS.items():
        for case in _valued(name):
            for fn, label in [(problem.oracle, "oracle")] + [(m.mimic, m.name)
                                                             for m in problem.misconceptions]:
                on_cuda = _call(fn, problem, case.args, dtype, "cuda")
                on_cpu = _call(fn, problem, case.args, dtype, "cpu")
                for g, e in zip(on_cuda, on_cpu):
                    np.testing.assert_allclose(g, e, rtol=tol, atol=tol,
                                               err_msg=f"{name} {label} {case.name}")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lesson_marks_every_problem_once_in_order(lang):
    text = (ROOT / "assignments" / "01_convolution" / f"lesson.{lang}.md").read_text(encoding="utf-8")
    markers = [line.strip()[len("<!-- problem:"):-len("-->")].strip()
               for line in text.splitlines() if line.strip().startswith("<!-- problem:")]
    assert markers == list(PROBLEMS)
