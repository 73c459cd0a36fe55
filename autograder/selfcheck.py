"""`check(name, fn)` in a student's notebook: the public cases only, run right there.

Advisory: it runs in the student's own kernel, so it can be fooled, and it grades nothing.
The grade comes from the hidden cases, run in the sandbox by `autograder grade`.
"""
from __future__ import annotations

import functools

import numpy as np

from autograder import diagnose, oracle, registry
from autograder.compare import compare
from autograder.course import CourseError, load_course
from autograder.i18n import t
from autograder.report import diagnosis_text, mismatch_line


@functools.lru_cache(maxsize=None)
def settings(name: str):
    """(public seed, tolerance, language) from the course, or defaults without one."""
    try:
        course = load_course()
        gp = next(p for a in course.assignments for p in a.problems if p.name == name)
        return course.public_seed, gp.tolerance["float64"], course.language
    except (CourseError, StopIteration, OSError):
        return 0, registry.DEFAULT_TOLERANCE["float64"], "en"


def check(name: str, fn, *, lang: str | None = None) -> None:
    problem = registry.get(name)
    seed, tol, course_lang = settings(name)
    lang = lang or course_lang
    public = oracle.public_cases(problem, seed)
    lines, n_passed, cases = [], 0, public.cases
    student, failing = {}, set()
    for case in cases:
        args = oracle.cast_args(case.args, "float64")
        try:
            value = fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
        except Exception as e:
            ok = case.raises is not None and isinstance(e, case.raises)
            n_passed += ok
            if not ok:
                lines.append(f"  {case.name}: {type(e).__name__}: {e}")
            continue
        if case.raises is not None:
            lines.append("  " + t("no_raise", lang, case=case.name, detail=case.raises.__name__))
            continue
        parts = value if len(problem.outputs) > 1 else (value,)
        expected = public.expected("float64", "cpu")[case.name]
        try:
            arrays = tuple(np.asarray(a, dtype=np.float64) for a in parts)
        except (TypeError, ValueError) as e:
            lines.append(f"  {case.name}: returned something that is not an array of numbers ({e})")
            continue
        bad = [m for name_, a, e in zip(problem.outputs, arrays, expected)
               if (m := compare(a, e, tol, output=name_, case=case.name, dtype="float64",
                                device="cpu"))]
        if bad or len(arrays) != len(expected):
            lines.extend("  " + mismatch_line(m, name, lang) for m in bad[:1])
            student[case.name], failing = arrays, failing | {case.name}
        else:
            n_passed += 1
    key = "check.ok" if n_passed == len(cases) else "check.bad"
    cause = diagnose.misconception(public, student, failing, tol)
    if cause:
        lines.insert(0, "  " + t("likely", lang, text=diagnosis_text(name, cause, lang)))
    print("\n".join([t(key, lang, problem=name, n=len(cases), n_passed=n_passed), *lines]))
