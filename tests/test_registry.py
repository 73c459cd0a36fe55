"""The generic checks of every registered problem, parametrized over the registry (as PyTorch's
OpInfo tests are): the problems in notebook order with the reference's signatures; the reference
against the oracle in float64 and float32 on every hidden case; every misconception visible;
every misconception's sample file; every sample mistake breaking exactly its BREAKS and
diagnosed as its DIAGNOSIS; the CUDA oracle against the CPU one; the lessons' problem markers.

Each check runs on a 128-bit hidden seed drawn as the grader draws a submission's (HMAC of a
secret, a digest and the problem) and on two more (0 and 7), so that no verdict hinges on one
draw of the values. What only one assignment has (lecture examples, finite differences,
case coverage, torch.nn cross-checks) stays in tests/test_<assignment>_reference.py.
"""
from __future__ import annotations

import importlib
import inspect
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder import oracle
from autograder.compare import close
from autograder.demo import literals
from autograder.diagnose import misconception
from autograder.registry import ASSIGNMENT_MODULES, Tol, all_problems, problems_of
from autograder.sandbox_worker import as_arrays, fresh_copy
from autograder.secret import hidden_seed

ROOT = Path(__file__).resolve().parents[1]
EXTRA_SEEDS = (0, 7)                 # besides a per-submission hidden seed
EXACT = Tol(rtol=1e-9, atol=1e-9)    # a sample reproduces its misconception's mimic this closely
                                     # (relative: training up the gradient makes huge values)
REF64 = dict(rtol=1e-10, atol=1e-12)     # reference vs oracle, and CUDA vs CPU, in float64
REF32 = dict(rtol=1e-5, atol=1e-5)

NOTEBOOK_ORDER = {
    "01_convolution": ["conv_output_size", "zero_pad", "conv2d_single", "conv2d_multi",
                       "conv_forward", "conv_backward"],
    "02_pooling": ["max_pool_forward", "avg_pool_forward", "min_pool_forward",
                   "max_pool_backward", "avg_pool_backward"],
    "03_rnn": ["rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward",
               "rnn_backward_truncated"],
    "04_lstm": ["forget_gate", "input_gate", "candidate_cell", "output_gate",
                "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward"],
    "05_cnn": ["relu_forward", "relu_backward", "affine_forward", "affine_backward",
               "softmax_cross_entropy", "conv_param_count", "fc_param_count", "cnn_forward",
               "cnn_loss", "sgd_step", "train"],
    "06_sequences": ["rnn_output", "temporal_softmax_loss", "many_to_one", "many_to_one_backward",
                     "clip_gradients", "gradient_norms", "lstm_gate_grads", "embed",
                     "embed_backward", "conv1d_over_time", "conv1d_over_time_backward",
                     "max_over_time", "max_over_time_backward"],
}
# 04_lstm's samples name each misconception once (e.g. sigmoid_tanh_swapped for three of the
# eight problems that declare it), not one sample per (problem, misconception).
ONE_SAMPLE_PER_NAME = {"04_lstm"}

ASSIGNMENTS = list(ASSIGNMENT_MODULES)
PROBLEMS = list(all_problems().values())
FLOAT32 = [p for p in PROBLEMS if p.float32]
MISCONCEPTIONS = [(p, m) for p in PROBLEMS for m in p.misconceptions]
MISTAKES = [(a, path) for a in ASSIGNMENTS
            for path in sorted((ROOT / "examples" / "mistakes" / a).glob("*.py"))]
LESSONS = [(a, lang) for a in ASSIGNMENTS for lang in ("en", "ko")]


def _short(assignment):
    return assignment.split("_", 1)[1]


def _reference(assignment):
    return importlib.import_module(f"reference.{_short(assignment)}")


def _seeds(problem):
    """A hidden seed as the grader draws one for a submission, then the extra ones."""
    return (hidden_seed(bytes(32), "a submission's digest", problem.name), *EXTRA_SEEDS)


@lru_cache(maxsize=None)
def _set(problem, seed) -> oracle.CaseSet:
    """The hidden cases on `seed` with their oracle values (each computed once per process)."""
    return oracle.CaseSet(problem, seed, hidden=True)


def _cases(problem, seed):
    return _set(problem, seed).cases


def _expected(problem, seed):
    """{case: float64 outputs} of the CPU float64 oracle (the grader's own)."""
    return _set(problem, seed).expected("float64", "cpu")


def _mimicked(problem, name, seed):
    return _set(problem, seed).mimicked(name)


def _copies(args):
    """A call's own copies of the arguments: nothing may change the shared cases in place."""
    return tuple(fresh_copy(a) for a in args)


def _outputs(value, problem=None):
    """A function's answer as float64 arrays; a reference's dicts flattened by the sandbox's
    own rule (Problem.returns)."""
    if problem is not None and problem.returns is not None:
        arrays, why = as_arrays(value, len(problem.outputs), problem.returns)
        assert why is None, why
        return tuple(arrays)
    parts = value if isinstance(value, (tuple, list)) else (value,)
    return tuple(np.asarray(p.detach().cpu().numpy() if torch.is_tensor(p) else p, dtype=np.float64)
                 for p in parts)


def _same(got, want, tol):
    """The grader's closeness on every output, shapes and the number of outputs included."""
    return len(got) == len(want) and all(close(g, w, tol) for g, w in zip(got, want))


def _tensor(a, dtype, device):
    if isinstance(a, dict):
        return {k: _tensor(v, dtype, device) for k, v in a.items()}
    if isinstance(a, list):
        return [_tensor(v, dtype, device) for v in a]
    if not isinstance(a, np.ndarray):
        return a
    return torch.tensor(a, dtype=dtype if a.dtype.kind == "f" else None, device=device)


def _torch(args, dtype, device="cpu"):
    """The arrays as fresh tensors (never views of the shared cases); float ones in `dtype`,
    integer and boolean ones (tokens, targets, masks) as they are."""
    return tuple(_tensor(a, dtype, device) for a in args)


def _tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _parts(value, problem):
    """A reference's answer as its arrays in their own dtype, dicts by Problem.returns."""
    if problem.returns is None:
        return _tuple(value)
    values = value if len(problem.returns) > 1 else (value,)
    return tuple(p for v, keys in zip(values, problem.returns)
                 for p in ([v] if keys is None else [v[k] for k in keys]))


# ---------------------------------------------------------------- the registry
def test_every_problem_once_across_assignments():
    names = [p.name for a in ASSIGNMENTS for p in problems_of(a)]
    assert list(all_problems()) == names                # no assignment missing, no name twice


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_problems_in_notebook_order(assignment):
    problems = problems_of(assignment)
    assert [p.name for p in problems] == NOTEBOOK_ORDER[assignment]
    ref = _reference(assignment)
    for p in problems:
        assert p.assignment == assignment, p.name
        assert str(inspect.signature(getattr(ref, p.name))) == p.signature.split("->")[0].strip(), \
            p.name
        for seed in _seeds(p):
            public = [c.name for c in p.sample_cases(seed, hidden=False)]
            assert public and set(public) < {c.name for c in _cases(p, seed)}, (p.name, seed)


# ---------------------------------------------------------------- reference == oracle
@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_reference_matches_oracle_float64(problem):
    fn = getattr(_reference(problem.assignment), problem.name)
    for seed in _seeds(problem):
        expected = _expected(problem, seed)
        for case in _cases(problem, seed):
            if case.raises is not None:
                with pytest.raises(case.raises):
                    fn(*_copies(case.args))
                continue
            if case.judge is not None:          # graded by what it achieves: test_cnn_training
                continue
            got, want = _outputs(fn(*_copies(case.args)), problem), expected[case.name]
            assert len(got) == len(want) == len(problem.outputs), (seed, case.name)
            for out, g, w in zip(problem.outputs, got, want):
                assert g.shape == w.shape, (seed, case.name, out)
                np.testing.assert_allclose(g, w, **REF64, err_msg=f"seed {seed} {case.name} {out}")


@pytest.mark.parametrize("problem", FLOAT32, ids=lambda p: p.name)
def test_reference_matches_oracle_float32(problem):
    fn = getattr(_reference(problem.assignment), problem.name)
    for seed in _seeds(problem):
        for case in _cases(problem, seed):
            if not case.valued:
                continue
            args32 = oracle.cast_args(case.args, "float32")
            got = _parts(fn(*_copies(args32)), problem)
            want = _tuple(problem.oracle(*_torch(args32, torch.float32)))
            assert len(got) == len(want) == len(problem.outputs), (seed, case.name)
            for out, g, w in zip(problem.outputs, got, want):
                where = f"seed {seed} {case.name} {out}"
                assert g.dtype == np.float32 and w.dtype == torch.float32, where
                w = w.detach().numpy()
                assert g.shape == w.shape, where
                np.testing.assert_allclose(g, w, **REF32, err_msg=where)


# ---------------------------------------------------------------- the misconceptions
@pytest.mark.parametrize("problem, m", MISCONCEPTIONS,
                         ids=[f"{p.name}-{m.name}" for p, m in MISCONCEPTIONS])
def test_misconception_is_visible(problem, m):
    """Explained in both languages, named once, computable on every hidden case, and different
    from the oracle somewhere on each seed."""
    assert set(m.text) == {"en", "ko"} and all(m.text.values())
    assert [n.name for n in problem.misconceptions].count(m.name) == 1
    tol = problem.tolerance["float64"]
    for seed in _seeds(problem):
        expected, mimicked = _expected(problem, seed), _mimicked(problem, m.name, seed)
        assert set(mimicked) == set(expected), f"seed {seed}: the mimic raises on some case"
        assert all(len(out) == len(problem.outputs) for out in mimicked.values())
        assert any(not _same(mimicked[c], expected[c], tol) for c in expected), \
            f"seed {seed}: the mimic equals the oracle on every hidden case"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_misconception_name_has_a_sample(assignment):
    folder = ROOT / "examples" / "mistakes" / assignment
    diagnoses = {literals(path)["DIAGNOSIS"] for path in folder.glob("*.py")}
    assert {m.name for p in problems_of(assignment) for m in p.misconceptions} | {None} <= diagnoses
    assert literals(folder / "unknown_bug.py")["DIAGNOSIS"] is None
    declared = {f"{p.name}_{m.name}" for p in problems_of(assignment) for m in p.misconceptions}
    assert {path.stem for path in folder.glob("*.py")} - {"unknown_bug"} <= declared


@pytest.mark.parametrize("assignment", [
    pytest.param(a, marks=pytest.mark.xfail(strict=True, reason="one sample per misconception name"))
    if a in ONE_SAMPLE_PER_NAME else a for a in ASSIGNMENTS])
def test_every_misconception_has_its_own_sample(assignment):
    """examples/mistakes/<assignment>/<problem>_<misconception>.py for every declared pair."""
    folder = ROOT / "examples" / "mistakes" / assignment
    declared = {f"{p.name}_{m.name}" for p in problems_of(assignment) for m in p.misconceptions}
    assert {path.stem for path in folder.glob("*.py")} - {"unknown_bug"} == declared


# ---------------------------------------------------------------- the sample mistakes
def _submission(assignment, path):
    """The reference with the mistake's functions replacing its own, in a fresh namespace."""
    source = Path(_reference(assignment).__file__).read_text(encoding="utf-8") + "\n\n" \
        + path.read_text(encoding="utf-8")
    namespace = {"__name__": "submission"}
    exec(compile(source, str(path), "exec"), namespace)
    return namespace


def _grade(fn, problem, seed):
    """(float64 outputs per valued case, whether an error case fails to raise its error). A
    sample must not crash on a valued case: its exception ends the test."""
    got, missed_error = {}, False
    for case in _cases(problem, seed):
        if case.judge is not None:              # no oracle values: test_cnn_training
            continue
        if case.raises is None:
            got[case.name] = _outputs(fn(*_copies(case.args)), problem)
            continue
        try:
            fn(*_copies(case.args))
            missed_error = True
        except case.raises:
            pass
        except Exception:
            missed_error = True
    return got, missed_error


@pytest.mark.parametrize("assignment, path", MISTAKES,
                         ids=[f"{_short(a)}-{path.stem}" for a, path in MISTAKES])
def test_mistake_breaks_exactly_what_it_says(assignment, path):
    """Appended to the reference, the sample loses exactly BREAKS on every seed; on each of
    them the grader's rule (the first misconception whose mimic matches every failing float64
    case) names DIAGNOSIS, DIAGNOSIS's mimic is what the sample computes on every case, and no
    other mimic is (None: no mimic matches)."""
    found = literals(path)
    assert {"BREAKS", "DIAGNOSIS"} <= set(found) <= {"BREAKS", "DIAGNOSIS", "ALSO_BREAKS"}, path.name
    breaks, diagnosis = tuple(found["BREAKS"]), found["DIAGNOSIS"]
    also = tuple(found.get("ALSO_BREAKS", ()))
    problems = {p.name: p for p in problems_of(assignment)}
    assert breaks and set(breaks) <= set(problems), path.name
    assert path.stem == ("unknown_bug" if diagnosis is None else f"{breaks[0]}_{diagnosis}")
    namespace = _submission(assignment, path)
    for name, problem in problems.items():
        tol = problem.tolerance["float64"]
        for seed in _seeds(problem):
            where = f"{path.name}, seed {seed}: {name}"
            got, missed_error = _grade(namespace[name], problem, seed)
            expected = _expected(problem, seed)
            failing = {c for c in got if not _same(got[c], expected[c], tol)}
            assert bool(failing or missed_error) == (name in breaks or name in also), \
                f"{where} {'loses points' if failing or missed_error else 'passes'}"
            if name not in breaks:
                continue
            named = misconception(_set(problem, seed), got, failing, tol)
            assert named == diagnosis, f"{where} is diagnosed as {named}"
            matching = [m.name for m in problem.misconceptions
                        if all(_same(got[c], _mimicked(problem, m.name, seed)[c], tol) for c in got)]
            assert matching == ([] if diagnosis is None else [diagnosis]), f"{where}: {matching}"
            if diagnosis is not None:
                mimicked = _mimicked(problem, diagnosis, seed)
                assert all(_same(got[c], mimicked[c], EXACT) for c in got), where


# ---------------------------------------------------------------- CUDA
@pytest.fixture
def no_tf32():
    flags = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = flags


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_cuda_oracle_matches_cpu(problem, dtype, no_tf32):
    """The oracle and every mimic, on CUDA as on CPU; the oracle's outputs on array inputs are
    CUDA tensors of the inputs' dtype (conv_output_size's integers have no device)."""
    tol = REF64 if dtype == torch.float64 else REF32
    fns = [("oracle", problem.oracle)] + [(m.name, m.mimic) for m in problem.misconceptions]
    for seed in _seeds(problem):
        for case in _cases(problem, seed):
            if not case.valued:
                continue
            on_device = any(isinstance(a, (np.ndarray, dict, list)) for a in case.args)
            for label, fn in fns:
                on_cuda = _tuple(fn(*_torch(case.args, dtype, "cuda")))
                on_cpu = _tuple(fn(*_torch(case.args, dtype)))
                where = f"{label} seed {seed} {case.name}"
                assert len(on_cuda) == len(on_cpu) == len(problem.outputs), where
                if label == "oracle" and on_device:
                    assert all(torch.is_tensor(t) and t.device.type == "cuda" and t.dtype == dtype
                               for t in on_cuda), where
                for g, c in zip(_outputs(on_cuda), _outputs(on_cpu)):
                    assert g.shape == c.shape, where
                    np.testing.assert_allclose(g, c, **tol, err_msg=where)


# ---------------------------------------------------------------- the lessons
@pytest.mark.parametrize("assignment, lang", LESSONS, ids=[f"{a}-{lang}" for a, lang in LESSONS])
def test_lesson_marks_every_problem_once_in_order(assignment, lang):
    text = (ROOT / "assignments" / assignment / f"lesson.{lang}.md").read_text(encoding="utf-8")
    markers = [line.strip() for line in text.splitlines() if line.strip().startswith("<!-- problem:")]
    assert markers == [f"<!-- problem: {p.name} -->" for p in problems_of(assignment)]
