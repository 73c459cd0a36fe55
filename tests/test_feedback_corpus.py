"""Issue 11's figure: the corpora of typical mistakes and of correct implementations, graded
in one batch (jobs=2). Mistakes: each loses points on its problem and keeps them elsewhere;
>= 90 % named or specifically described; none misleading. Correct implementations (loops,
einsum, stride tricks, im2col, a transposed-kernel backward, in-place updates, non-contiguous
returns, SciPy's expit, a ValueError subclass): full marks as .py and as .ipynb. check() in a
notebook agrees with the grade on each. `python -m tests.corpus.harness` prints the figure."""
import io
import contextlib
import tempfile
from pathlib import Path

import numpy as np
import pytest

from tests.corpus import harness


@pytest.fixture(scope="module")
def graded(course):
    with tempfile.TemporaryDirectory() as tmp:
        mistakes = [(e, harness.write(e, Path(tmp), "ipynb")) for e in harness.entries("mistakes")]
        correct = [(e, harness.write(e, Path(tmp) / form, form))
                   for e in harness.entries("correct") for form in ("py", "ipynb")]
        yield harness.grade(mistakes + correct, course, n_jobs=2)


def test_the_mistakes_lose_points_where_they_should_and_are_explained(graded):
    verdicts = [harness.judge(e, r) for e, _, r in graded if e.says]
    print("\n" + harness.figure(verdicts))
    assert len(verdicts) >= 100
    assert all(v.loses for v in verdicts), [v.entry.path.stem for v in verdicts if not v.loses]
    assert all(v.keeps for v in verdicts), [v.entry.path.stem for v in verdicts if not v.keeps]
    assert sum(v.described for v in verdicts) >= 0.9 * len(verdicts)
    assert [v.entry.path.stem for v in verdicts if v.misleading] == []
    assert {v.entry.assignment for v in verdicts} == set(harness.ASSIGNMENTS)


def test_the_correct_implementations_get_full_marks_as_py_and_ipynb(graded):
    correct = [(e, p, r) for e, p, r in graded if not e.says]
    assert len({e.path for e, _, _ in correct}) >= 29         # 31 with SciPy installed
    assert {p.suffix for _, p, _ in correct} == {".py", ".ipynb"}
    low = [(p.name, r.score, r.max_score) for _, p, r in correct if r.score != r.max_score]
    assert low == []


def _check_verdicts(entry):
    """check()'s pass/fail for each problem the file defines, run in this process."""
    from autograder import check
    namespace = {"__name__": "__main__"}
    for cell in (harness.reference_cell(entry.assignment, entry.replaces), entry.cell):
        try:
            exec(compile(cell, str(entry.path), "exec"), namespace)
        except Exception:
            return None                       # a cell that does not load: nothing to check
    out = {}
    for name in entry.replaces:
        if not callable(namespace.get(name)):
            return None
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            check(name, namespace[name], lang="en")
        out[name] = "all" in buffer.getvalue().splitlines()[0]
    return out


def test_check_agrees_with_the_grade(graded):
    disagree, compared = [], 0
    for entry, path, result in graded:
        if path.suffix != ".ipynb" or "import torch" in entry.cell or "ndimage" in entry.cell:
            continue                          # (the grader refuses those imports; check() too)
        verdicts = _check_verdicts(entry)
        if verdicts is None:
            continue
        by = {p.problem: p for p in result.problems}
        for name, passed in verdicts.items():
            compared += 1
            # a public-case pass with a hidden-case failure is the only allowed difference
            if passed != (by[name].status == "pass") and not (passed and entry.says):
                disagree.append((entry.path.stem, name, passed, by[name].status))
    assert compared >= 100 and disagree == []


def _small(problem, args) -> bool:
    """At most 5x5 spatially (the last two axes of an image or filter), T <= 3 (a sequence)."""
    for a in args:
        if not isinstance(a, np.ndarray):
            continue
        if problem.assignment in ("01_convolution", "02_pooling") and a.ndim >= 2 \
                and max(a.shape[-2:]) > 5:
            return False
        if problem.assignment in ("03_rnn", "04_lstm") and a.ndim == 3 and a.shape[1] > 3:
            return False
    return True


def _rerun(entry, record, problem):
    """The shown setup and call, run on the student's own function in this process: whether
    the answer still differs from the oracle (or still does not raise as it must)."""
    from autograder import oracle
    from autograder.compare import close
    from autograder.registry import unpack
    from autograder.sandbox_worker import as_arrays
    namespace = {"__name__": "__main__", "np": np}
    for cell in (harness.reference_cell(entry.assignment, entry.replaces), entry.cell):
        exec(compile(cell, str(entry.path), "exec"), namespace)
    for line in record["setup"]:
        exec(line, namespace)
    call = record["call"]
    args = eval(f"(lambda *a: a){call[call.index('('):]}", namespace)
    assert bool(record["public"]) or _small(problem, args), call
    try:
        value = eval(call, namespace)
    except Exception as e:
        return not (record["raises"] and isinstance(e, ValueError))
    if record["raises"]:
        return True
    arrays, why = as_arrays(value, 1 if problem.packed else len(problem.outputs))
    if arrays is None:
        return True
    got, why = unpack(problem, tuple(arrays))
    if got is None:
        return True
    expected = oracle.evaluate(problem.oracle, args, "float64", "cpu")
    return not all(close(a, e, problem.tolerance["float64"]) for a, e in zip(got, expected))


def test_every_failing_problem_shows_a_small_minimal_case_that_reproduces(graded):
    """Issue 11: for every failing problem of both corpora whose function can be called, the
    smallest failing case is shown (text and JSON), comes from the small lattice, and running
    the shown call on the student's function fails again."""
    from autograder import registry
    from autograder.report import feedback_lines, to_dict
    from autograder.shrink import LATTICES
    checked, problems = 0, []
    for entry, path, result in graded:
        if path.suffix != ".ipynb":
            continue
        for p in result.problems:
            if p.status == "pass" or "not loaded" in (p.error or "") or p.error == "missing" \
                    or any("not loaded" in m.detail or m.detail == "missing" for m in p.mismatches):
                continue
            if p.minimal is None and p.problem not in LATTICES:
                continue                  # 06_sequences: no lattice yet, and no public case fails
            problems.append((entry.path.stem, p.problem))
            assert p.minimal is not None, (entry.path.stem, p.problem)
            # from the small lattice where the problem has one (01-04); else (06_sequences, no
            # lattice yet) the smallest failing public case
            assert not p.minimal["public"] or p.problem not in LATTICES, \
                (entry.path.stem, p.problem, p.minimal["case"])
            assert p.minimal["call"] in "\n".join(feedback_lines(p, "ko"))
            assert to_dict(result)["problems"][[q.problem for q in result.problems].index(
                p.problem)]["minimal_case"]["call"] == p.minimal["call"]
            assert _rerun(entry, p.minimal, registry.get(p.problem)), (entry.path.stem, p.minimal)
            checked += 1
    assert checked >= 100, problems
