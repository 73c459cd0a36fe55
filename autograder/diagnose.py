"""Say what the student most likely did wrong.

First the registry's named misconceptions: a student's outputs that match what a mistake
produces (and not the oracle) get that mistake's name. Otherwise a pattern of the
difference is described: wrong shape, transposed, border only, a constant offset per
channel, a scale factor, the right values in a different order. Records, not sentences:
`Pattern(key, params)`; report.py turns them into words.

`cases` below is a case set: `oracle.CaseSet` (computed with PyTorch) or
`public_data.ShippedCaseSet` (read from a released notebook); both answer `expected`,
`mimicked` and `parts`, so this module never needs PyTorch itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

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


def misconception(cases, student: dict, failing: set[str], tol: Tol) -> str | None:
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


def arg_names(problem) -> list[str]:
    """The parameter names of a problem's student-facing signature."""
    inside = problem.signature.split(")")[0].lstrip("(")
    return [part.split("=")[0].strip() for part in inside.split(",") if part.strip()]


def shape_hint(problem, output: str, args: tuple | None) -> tuple[str, dict]:
    """What the shape of `output` follows, per output (an i18n key and its parameters): the
    input it is the gradient of, else the output-size formula where there is a window."""
    names = arg_names(problem)
    if output.startswith("d") and output[1:] in names:
        arg = output[1:]
        value = args[names.index(arg)] if args is not None and names.index(arg) < len(args) else None
        return "hint.like", {"output": output, "arg": arg,
                             "shape": str(tuple(np.shape(value))) if value is not None else "?"}
    if output == "out" and "stride" in names:
        return "hint.window", {}
    if output == "out" and "P" in names and "S" not in names:          # zero_pad
        return "hint.named", {"output": output, "shape": "(N, C, H + 2P, W + 2P)"}
    if output in _SHAPES:
        return "hint.named", {"output": output, "shape": _SHAPES[output]}
    return "hint.none", {}


# the documented shapes of the outputs that are not the gradient of an input
_SHAPES = {"h": "(N, T, H)", "h_next": "(N, H)", "c_next": "(N, H)", "f": "(N, H)", "i": "(N, H)",
           "g": "(N, H)", "o": "(N, H)", "x_padded": "(N, C, H + 2P, W + 2P)",
           "y": "(N, T, V)", "scores": "(N, K)", "norms": "(T,)", "emb": "(N, L, D)",
           "dE": "(V, D)", "maps": "(N, F, L - k + 1)", "pooled": "(N, F)",
           **{f"da_{gate}": "(N, H)" for gate in "figo"}}


def pattern(m: Mismatch, actual: np.ndarray | None, expected: np.ndarray | None,
            problem=None, args: tuple | None = None) -> Pattern:
    """Describe one value mismatch when no named mistake matched: only the patterns that can
    apply to this output (no bias without one, no border without padding, no scale or sign
    for a single number), and a precision problem before any other."""
    names = arg_names(problem) if problem is not None else []
    if m.kind == "shape":
        swapped = tuple(m.expected_shape[:-2]) + tuple(m.expected_shape[-2:][::-1])
        if len(m.expected_shape) >= 2 and tuple(m.actual_shape) == swapped \
                and swapped != tuple(m.expected_shape):
            return Pattern("transposed")
        hint, params = shape_hint(problem, m.output, args) if problem is not None \
            else ("hint.none", {})
        # flat parameters (words and numbers): a record stores them as they are
        return Pattern("shape", {"expected": m.expected_shape, "actual": m.actual_shape,
                                 "output": m.output, "hint": hint,
                                 "hint_arg": params.get("arg", ""),
                                 "hint_shape": params.get("shape", "")})
    if m.kind == "nonfinite":
        return Pattern("nonfinite", {"n_bad": m.n_bad, "n": m.n, "index": m.index})
    if actual is None or expected is None or m.kind != "values":
        return Pattern("other")
    scale = float(np.abs(expected).max()) if expected.size else 0.0
    if np.all(np.abs(actual - expected) <= 1e-4 * np.abs(expected) + 2e-6 * (1 + scale)):
        return Pattern("precision", {"output": m.output})
    tol = 1e-6 * (1 + scale)
    single = expected.size <= 1
    if actual.ndim >= 2 and actual.shape[-1] == actual.shape[-2] \
            and np.allclose(np.swapaxes(actual, -1, -2), expected, atol=tol):
        return Pattern("transposed")
    if not single and np.allclose(-actual, expected, atol=tol):
        return Pattern("sign")
    denom = float((expected * expected).sum())
    if denom > 0 and not single:
        k = float((actual * expected).sum()) / denom
        if abs(k - 1) > 1e-6 and np.allclose(actual, k * expected, atol=tol):
            return Pattern("scaled", {"factor": k})
    if actual.ndim == 4 and "b" in names:
        d = actual - expected
        per_channel = d.mean(axis=(0, 2, 3), keepdims=True)
        if np.allclose(d, np.broadcast_to(per_channel, d.shape), atol=tol):
            return Pattern("channel_offset", {"offsets": [round(float(v), 4) for v in per_channel.ravel()]})
    d = actual - expected
    if not single and np.allclose(d, d.flat[0], atol=tol) and abs(d.flat[0]) > tol:
        return Pattern("offset", {"output": m.output, "offset": float(d.flat[0])})
    pad = next((args[names.index(n)] for n in ("pad", "P") if n in names and args is not None
                and names.index(n) < len(args)), 0)
    if actual.ndim == 4 and min(actual.shape[-2:]) > 2 and isinstance(pad, (int, np.integer)) \
            and pad > 0:
        bad = ~np.isclose(actual, expected, atol=tol)
        inner = bad[..., pad:-pad, pad:-pad]
        if bad.any() and not inner.any():
            return Pattern("border")
    if not single and np.allclose(np.sort(actual, axis=None), np.sort(expected, axis=None),
                                  atol=tol):
        return Pattern("permuted")
    return Pattern("largest", {"n_bad": m.n_bad, "n": m.n, "max_abs": m.max_abs,
                               "max_rel": m.max_rel, "index": m.index, "output": m.output,
                               "case": m.case})


def swapped_outputs(problem, student: dict, expected: dict, failing: set[str],
                    tol: Tol) -> Pattern | None:
    """Outputs that hold another output's value on every failing case (OW returned as OH,
    dWx as dWh, c as h): the right numbers in the wrong places."""
    if len(problem.outputs) < 2 or not failing:
        return None
    pairs = None
    for case in failing:
        got, want = student.get(case), expected.get(case)
        if got is None or want is None or len(got) != len(want):
            return None
        here = {(i, j) for i, a in enumerate(got) for j, e in enumerate(want)
                if i != j and a.shape == e.shape and close(a, e, tol)
                and not close(a, want[i], tol)}
        pairs = here if pairs is None else pairs & here
    if not pairs:
        return None
    out = problem.outputs
    return Pattern("outputs_swapped", {"pairs": ", ".join(f"{out[i]} = {out[j]}"
                                                          for i, j in sorted(pairs))})


def off_by(problem, student: dict, expected: dict, failing: set[str], tol: Tol) -> Pattern | None:
    """Single numbers (an output size) that are off by the same amount on every failing case:
    a missing or extra `+ 1`, or a wrong constant."""
    diffs: dict[str, set] = {}
    for case in failing:
        got, want = student.get(case), expected.get(case)
        if got is None or want is None or len(got) != len(want):
            return None
        for name, a, e in zip(problem.outputs, got, want):
            if a.size != 1 or e.size != 1:
                return None
            if not close(a, e, tol):
                diffs.setdefault(name, set()).add(round(float(a.ravel()[0] - e.ravel()[0]), 9))
    if not diffs or any(len(d) != 1 for d in diffs.values()) or len({*map(frozenset, diffs.values())}) != 1:
        return None
    return Pattern("off_by", {"outputs": ", ".join(diffs), "offset": next(iter(next(iter(diffs.values()))))})


def family(cases, student: dict, failing: set[str],
           tol: Tol) -> tuple[str, Pattern] | None:
    """A misconception with `parts` (the oracle's answer split into units: images, time
    steps) whose natural variants are recognised by fitting: each wrong output the parts cover
    is, on every failing case, the sum over a subset of the units, or all of them scaled by one
    factor (a mean). Returns the misconception's name and what was fitted."""
    if not failing:
        return None
    problem = cases.problem
    expected = cases.expected("float64", "cpu")
    for m in problem.misconceptions:
        fits, unit, covered_wrong = {}, None, set()
        for case in sorted(failing):
            found = cases.parts(m.name, case)      # None: no family, or not on this case
            if found is None:
                break
            unit, parts = found
            got, want = student.get(case), expected[case]
            if got is None or len(got) != len(want):
                break
            ok = True
            for i, name in enumerate(problem.outputs):
                if close(got[i], want[i], tol):
                    continue
                if name not in parts:                   # a wrong output the family cannot explain
                    ok = False
                    break
                basis = np.stack([p.ravel() for p in parts[name]])
                if got[i].shape != want[i].shape:
                    ok = False
                    break
                coef = _fit(basis, got[i].ravel(), tol)
                if coef is None or not close((np.nan_to_num(coef) @ basis).reshape(want[i].shape),
                                             got[i], tol):
                    ok = False
                    break
                fits.setdefault(name, []).append(coef)
                covered_wrong.add(name)
            if not ok:
                break
        else:
            described = _describe_fit(fits, unit)
            if described is not None:
                return m.name, described
    return None


def _fit(basis: np.ndarray, target: np.ndarray, tol: Tol) -> np.ndarray | None:
    """Coefficients c with c @ basis = target: one unit alone, then one factor for all, then
    (where the units are independent) least squares; NaN for a unit that adds nothing."""
    live = np.abs(basis).max(axis=1) > 1e-12
    coef = np.where(live, 0.0, np.nan)
    for k in np.flatnonzero(live):
        if close(basis[k], target, tol):
            coef[k] = 1.0
            return coef
    total = basis.sum(axis=0)
    denom = float(total @ total)
    if denom > 0:
        c = float(target @ total) / denom
        if close(c * total, target, tol):
            return np.where(live, c, np.nan)
    if live.any() and np.linalg.matrix_rank(basis[live]) == live.sum():
        coef[live] = np.linalg.lstsq(basis[live].T, target, rcond=None)[0]
        return coef
    return None


def _describe_fit(fits: dict, unit: str | None) -> Pattern | None:
    """A subset of the units (the same on every case: unit k, or "last"), or one common
    factor. A unit that adds nothing on a case (NaN) is compatible with either."""
    if not fits:
        return None
    cases, factors = [], set()
    for coefs in fits.values():
        for coef in coefs:
            known = ~np.isnan(coef)
            c = coef[known]
            n = len(coef)
            labels = [k if k < n - 1 or n == 1 else "last" for k in range(n)]
            if n == 1:
                labels = ["last"]
            if np.allclose(c, np.round(c), atol=1e-6) and set(np.round(c)) <= {0.0, 1.0}:
                cases.append(({labels[k] for k in np.flatnonzero(known) if round(coef[k]) == 1},
                              {labels[k] for k in np.flatnonzero(known)}))
            elif c.size and np.allclose(c, c[0], rtol=1e-6):
                factors.add(round(float(c[0]), 6))
            else:
                return None
    outputs = ", ".join(fits)
    if cases and not factors:
        picked = set().union(*(p for p, _ in cases))
        if not picked or any(p != picked & known for p, known in cases):
            return None
        which = ", ".join(str(k) for k in sorted(picked, key=lambda k: (k == "last", str(k))))
        return Pattern(f"fit.subset.{unit}", {"outputs": outputs, "which": which})
    if factors and not cases:
        if len(factors) == 1:
            return Pattern(f"fit.factor.{unit}", {"outputs": outputs, "factor": next(iter(factors))})
        return Pattern(f"fit.mean.{unit}", {"outputs": outputs})
    return None


def diagnose(cases, student: dict, failing: set[str], tol: Tol,
             mismatches: list[Mismatch]) -> tuple[str | None, Pattern | None]:
    """The layers in order: a named misconception (exact mimic), then a family fitted to it,
    then the right values in the wrong outputs, then a pattern of the first difference."""
    name = misconception(cases, student, failing, tol)
    if name is not None:
        return name, None
    fitted = family(cases, student, failing, tol)
    if fitted is not None:
        return fitted
    problem = cases.problem
    expected = cases.expected("float64", "cpu")
    swapped = swapped_outputs(problem, student, expected, failing, tol)
    if swapped is not None:
        return None, swapped
    off = off_by(problem, student, expected, failing, tol)
    if off is not None:
        return None, off
    m = next((m for m in mismatches if m.kind in ("shape", "nonfinite", "values")), None)
    if m is None:
        return None, None
    got = student.get(m.case)
    index = problem.outputs.index(m.output)
    exp = cases.expected(m.dtype, m.device).get(m.case)
    case = next((c for c in cases.cases if c.name == m.case), None)
    return None, pattern(m, got[index] if got else None, exp[index] if exp else None,
                         problem, case.args if case is not None else None)
