"""The problem registry: every problem declared once, as data plus small functions.

Everything else (grading, the in-notebook `check`, `validate`, the notebook generator, the
diagnosis of mistakes) reads these records; nothing restates a problem by hand.
"""
from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import numpy as np


@dataclass(frozen=True)
class Tol:
    """Closeness as in `torch.testing.assert_close`: |a - e| <= atol + rtol * |e|."""
    rtol: float
    atol: float


# float64 checks are tight; float32 uses what PyTorch's own op tests accept after accumulation.
DEFAULT_TOLERANCE = {"float64": Tol(rtol=1e-7, atol=1e-9), "float32": Tol(rtol=1e-5, atol=1e-5)}


@dataclass(frozen=True)
class Case:
    """One call of the student's function: `fn(*args)`.

    `raises` names an exception type the call must raise (an error case, as OpInfo's
    ErrorInput); such a case has no oracle output. `judge`, where given, grades the answer by
    what it achieves instead of by the oracle's values (a network trained on real data, whose
    exact weights no oracle can predict after hundreds of steps): judge(the answer's float64
    arrays) -> (measured, required), computed in the grader; the check passes when measured
    >= required. Such a case has no oracle output either, and no mimics.
    """
    name: str
    args: tuple
    raises: type[BaseException] | None = None
    judge: Callable[[tuple], tuple[float, float]] | None = None

    @property
    def valued(self) -> bool:
        """Whether the oracle answers this case (not an error case, not a judged one)."""
        return self.raises is None and self.judge is None


@dataclass(frozen=True)
class Misconception:
    """A known mistake: `mimic` computes (with torch, like the oracle) what a student who
    made it would return; `text` explains it, per language ("en", "ko"); `parts`, where given,
    lets its natural variants match too."""
    name: str
    text: Mapping[str, str]
    mimic: Callable[..., Any]
    # the mistake's family (optional): (*torch args) -> (unit, {output: [tensor per unit]}), the
    # oracle's answer split into units ("image", "step") that sum to it; a student's output that
    # is a subset of them, or their sum times one factor, gets this name (diagnose.family)
    parts: Callable[..., Any] | None = None


@dataclass(frozen=True, eq=False)       # identity hash: records are cached per problem
class Problem:
    name: str
    assignment: str
    signature: str                     # student-facing, e.g. "(x, w, b, stride, pad) -> out"
    cases: Callable[[np.random.Generator, bool], Iterable[Case]]   # (rng, hidden) -> cases
    oracle: Callable[..., Any]         # torch tensors in, tensor or tuple of tensors out
    outputs: tuple[str, ...] = ("out",)
    tolerance: Mapping[str, Tol] = field(default_factory=lambda: dict(DEFAULT_TOLERANCE))
    misconceptions: tuple[Misconception, ...] = ()
    float32: bool = True               # also graded on float32 inputs (not for integer problems)
    # the outputs are numbers returned together: a tuple, a list or a 1-D array of
    # len(outputs) numbers is accepted alike (grading and check() share `unpack`)
    packed: bool = False
    # what a function that returns dicts returns (cnn_loss's (loss, grads)): one entry per
    # returned value, None for an array, or the keys of a dict of arrays, which come back (and
    # are `outputs`) in that key order; None: arrays only
    returns: tuple[tuple[str, ...] | None, ...] | None = None

    def sample_cases(self, seed: int, hidden: bool) -> list[Case]:
        """The public cases (hidden=False), or the full graded set (hidden=True)."""
        cases = list(self.cases(np.random.default_rng(seed), hidden))
        names = [c.name for c in cases]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate case names {names}")
        return cases


# One module per assignment, each exporting PROBLEMS (a tuple, in notebook order).
ASSIGNMENT_MODULES = {
    "01_convolution": "autograder.problems.convolution",
    "02_pooling": "autograder.problems.pooling",
    "03_rnn": "autograder.problems.rnn",
    "04_lstm": "autograder.problems.lstm",
    "05_cnn": "autograder.problems.cnn",
    "06_sequences": "autograder.problems.sequences",
}


def unpack(problem: Problem, arrays: tuple) -> tuple[tuple[np.ndarray, ...] | None, str | None]:
    """A packed problem's answer (one array of every number returned, as the child sends it) as
    one 0-d array per output, or why it cannot be: the one acceptance rule of grading and
    check(). Other problems' answers pass through unchanged."""
    if not problem.packed:
        return tuple(arrays), None
    n = len(problem.outputs)
    flat = np.asarray(arrays[0], dtype=np.float64).ravel() if len(arrays) == 1 else None
    if flat is None or flat.size != n:
        size = "?" if flat is None else flat.size
        return None, f"returned {size} numbers, expected {n} ({', '.join(problem.outputs)})"
    return tuple(np.asarray(v) for v in flat), None


def problems_of(assignment: str) -> tuple[Problem, ...]:
    """The problems of one assignment, in notebook order."""
    try:
        module = ASSIGNMENT_MODULES[assignment]
    except KeyError:
        raise KeyError(f"unknown assignment {assignment!r}; known: "
                       f"{', '.join(ASSIGNMENT_MODULES)}") from None
    return importlib.import_module(module).PROBLEMS


def all_problems() -> dict[str, Problem]:
    """Every problem by name, across assignments."""
    out: dict[str, Problem] = {}
    for assignment in ASSIGNMENT_MODULES:
        try:
            problems = problems_of(assignment)
        except ModuleNotFoundError:
            continue
        for p in problems:
            out[p.name] = p
    return out


# problems as a released notebook describes them (autograder.public_data), while check()
# scores from that notebook's answers: they come first then, so that it never imports the
# problem modules (and torch) to find the same name, and are gone afterwards
_released: dict[str, Problem] = {}


@contextlib.contextmanager
def released(problem: Problem):
    """Within: `get(problem.name)` is `problem` (a record read from a released notebook)."""
    before = _released.get(problem.name)
    _released[problem.name] = problem
    try:
        yield problem
    finally:
        if before is None:
            _released.pop(problem.name, None)
        else:
            _released[problem.name] = before


def get(name: str) -> Problem:
    if name in _released:
        return _released[name]
    problems = all_problems()
    if name not in problems:
        raise KeyError(f"unknown problem {name!r}; known: {', '.join(problems)}")
    return problems[name]
