"""Compare one returned array with the oracle's, and measure the difference.

The facts and their order follow numpy.testing: a shape or NaN reason first, then how many
elements differ, the largest absolute and relative difference among them, and where the
worst one is. A record, not a message: reporters choose the words and the language.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.registry import Tol


@dataclass(frozen=True)
class Mismatch:
    output: str                  # "out", "dw", ...
    case: str
    dtype: str
    device: str
    kind: str                    # "shape" | "nonfinite" | "values" | "error" | "no_raise" | "wrong_raise"
                                 # | "below": a judged case (registry.Case.judge) measured max_abs,
                                 # short of the max_rel it requires
    n_bad: int = 0
    n: int = 0
    max_abs: float = 0.0
    max_rel: float = 0.0
    index: tuple[int, ...] = ()
    expected_shape: tuple[int, ...] = ()
    actual_shape: tuple[int, ...] = ()
    detail: str = ""             # an error message, or the exception expected


def close(actual: np.ndarray, expected: np.ndarray, tol: Tol) -> bool:
    """Within tolerance everywhere; a NaN or inf counts as close only to the same NaN or inf
    (a mimic of an overflow matches the student's overflow)."""
    if actual.shape != expected.shape:
        return False
    with np.errstate(invalid="ignore"):
        near = np.abs(actual - expected) <= tol.atol + tol.rtol * np.abs(expected)
    same = (actual == expected) | (np.isnan(actual) & np.isnan(expected))
    return bool(np.all(near | same))


def compare(actual: np.ndarray, expected: np.ndarray, tol: Tol, *, output: str, case: str,
            dtype: str, device: str) -> Mismatch | None:
    """None when every element is within tolerance, else what is wrong."""
    where = dict(output=output, case=case, dtype=dtype, device=device)
    if actual.shape != expected.shape:
        return Mismatch(kind="shape", expected_shape=expected.shape, actual_shape=actual.shape,
                        **where)
    n = int(expected.size)
    finite = np.isfinite(actual)
    if not finite.all():
        bad = np.argwhere(~finite)
        return Mismatch(kind="nonfinite", n_bad=int((~finite).sum()), n=n,
                        index=tuple(int(i) for i in bad[0]), expected_shape=expected.shape,
                        actual_shape=actual.shape, **where)
    diff = np.abs(actual - expected)
    bad = diff > tol.atol + tol.rtol * np.abs(expected)
    if not bad.any():
        return None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        rel = diff / np.abs(expected)        # inf where the expected value is 0
    worst = np.unravel_index(int(np.argmax(np.where(bad, diff, -1.0))), diff.shape)
    return Mismatch(kind="values", n_bad=int(bad.sum()), n=n, max_abs=float(diff[bad].max()),
                    max_rel=float(rel[bad].max()), index=tuple(int(i) for i in worst),
                    expected_shape=expected.shape, actual_shape=actual.shape, **where)
