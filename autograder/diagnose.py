"""Say what the student most likely did wrong.

First the registry's named misconceptions: a student's outputs that match what a mistake
produces (and not the oracle) get that mistake's name. Otherwise a pattern of the
difference is described: wrong shape, transposed, border only, a constant offset per
channel, a scale factor, the right values in a different order. Records, not sentences:
`Pattern(key, params)`; report.py turns them into words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from autograder import oracle
from autograder.compare import Mismatch, close
from autograder.registry import Tol


@dataclass(frozen=True)
class Pattern:
    key: str                           # an i18n message key
    params: dict = field(default_factory=dict)


def load_causes(cells, notes) -> dict[str, str]:
    """{function name: the error of the cell that defines it} for every cell that failed to
    load (a syntax error, a refused import, an exception): what leaves a problem undefined."""
    failed = {}
    for note in notes:
        m = re.match(r"cell (\d+): ", note)
        if m:
            failed.setdefault(int(m.group(1)), note)
    causes: dict[str, str] = {}
    for index, source in cells:
        if index in failed:
            for name in re.findall(r"^[ \t]*def[ \t]+(\w+)", source, re.MULTILINE):
                causes.setdefault(name, failed[index])
    return causes


def cause_of(error: str | None, problem: str, causes: dict[str, str]) -> str | None:
    """A call's error with its cause: a function that is missing, or a helper that is not
    defined, because the cell defining it failed to load."""
    if error == "missing" and problem in causes:
        return f"not loaded: {causes[problem]}"
    m = re.match(r"NameError: name '(\w+)' is not defined", error or "")
    if m and m.group(1) in causes:
        return f"{error}; not loaded: {causes[m.group(1)]}"
    return error


def misconception(cases: oracle.CaseSet, student: dict, failing: set[str], tol: Tol) -> str | None:
    """The first misconception (in declared order) whose mimic matches the student's float64
    outputs on every failing case of `cases`; `student` maps case names to output tuples."""
    if not failing:
        return None
    for m in cases.problem.misconceptions:
        mimic = cases.mimicked(m.name)
        if all(case in mimic and case in student and len(mimic[case]) == len(student[case])
               and all(close(a, e, tol) for a, e in zip(student[case], mimic[case]))
               for case in failing):
            return m.name
    return None


def pattern(m: Mismatch, actual: np.ndarray | None, expected: np.ndarray | None) -> Pattern:
    """Describe one value mismatch when no named mistake matched."""
    if m.kind == "shape":
        swapped = tuple(m.expected_shape[:-2]) + tuple(m.expected_shape[-2:][::-1])
        if len(m.expected_shape) >= 2 and tuple(m.actual_shape) == swapped:
            return Pattern("transposed")
        return Pattern("shape", {"expected": m.expected_shape, "actual": m.actual_shape,
                                 "output": m.output})
    if m.kind == "nonfinite":
        return Pattern("nonfinite", {"n_bad": m.n_bad, "n": m.n, "index": m.index})
    if actual is None or expected is None or m.kind != "values":
        return Pattern("other")
    tol = 1e-6 * (1 + np.abs(expected).max())
    if actual.ndim >= 2 and actual.shape[-1] == actual.shape[-2] \
            and np.allclose(np.swapaxes(actual, -1, -2), expected, atol=tol):
        return Pattern("transposed")
    if np.allclose(-actual, expected, atol=tol):
        return Pattern("sign")
    denom = float((expected * expected).sum())
    if denom > 0:
        k = float((actual * expected).sum()) / denom
        if abs(k - 1) > 1e-6 and np.allclose(actual, k * expected, atol=tol):
            return Pattern("scaled", {"factor": k})
    if actual.ndim == 4:
        d = actual - expected
        per_channel = d.mean(axis=(0, 2, 3), keepdims=True)
        if np.allclose(d, np.broadcast_to(per_channel, d.shape), atol=tol):
            return Pattern("channel_offset", {"offsets": [round(float(v), 4) for v in per_channel.ravel()]})
    if actual.ndim >= 2 and min(actual.shape[-2:]) > 2:
        bad = ~np.isclose(actual, expected, atol=tol)
        inner = bad[..., 1:-1, 1:-1]
        if bad.any() and not inner.any():
            return Pattern("border")
    if np.allclose(np.sort(actual, axis=None), np.sort(expected, axis=None), atol=tol):
        return Pattern("permuted")
    return Pattern("largest", {"n_bad": m.n_bad, "n": m.n, "max_abs": m.max_abs,
                               "max_rel": m.max_rel, "index": m.index, "output": m.output,
                               "case": m.case})
