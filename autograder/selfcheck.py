"""`check(name, fn)` in a student's notebook: the public cases only, run right there.

Advisory: it runs in the student's own kernel, so it can be fooled, and it grades nothing.
The grade comes from the hidden cases, run in the sandbox by `autograder grade`. It follows
the grader's rules: the same acceptance (`grading.score_problem` on the answers, so an
exception subclass, a list or an array where a tuple is asked count alike), the same
diagnosis, and the grader's own message for a forbidden import.
"""
from __future__ import annotations

import functools
import sys
import time
import types

import numpy as np

from autograder import oracle, registry
from autograder.course import CourseError, GradedProblem, load_course
from autograder.i18n import t
from autograder.sandbox_worker import as_arrays

# what check() last printed per problem, with the function it ran: the graded cell's rerun
# of the same function says "see above" instead of printing every line again
_shown: dict[str, tuple[object, str]] = {}


@functools.lru_cache(maxsize=None)
def settings(name: str):
    """(public seed, tolerance, language, forbidden imports) from the course, or defaults."""
    try:
        course = load_course()
        gp = next(p for a in course.assignments for p in a.problems if p.name == name)
        return (course.public_seed, gp.tolerance["float64"], course.language,
                tuple(course.forbidden_imports))
    except (CourseError, StopIteration, OSError):
        return 0, registry.DEFAULT_TOLERANCE["float64"], "en", ("torch",)


def _names(code) -> set[str]:
    out = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            out |= _names(const)
    return out


def forbidden_import(fn, forbidden) -> str | None:
    """The forbidden module `fn` uses through its globals (the grader refuses its import, so
    the cell that imports it does not load), or None."""
    code, env = getattr(fn, "__code__", None), getattr(fn, "__globals__", None)
    if code is None or not isinstance(env, dict):
        return None
    for name in _names(code):
        value = env.get(name)
        module = value.__name__ if isinstance(value, types.ModuleType) else \
            getattr(value, "__module__", None)
        if isinstance(module, str):
            for banned in forbidden:
                if module == banned or module.startswith(banned + "."):
                    return module
    return None


def _run(problem, fn, public) -> dict:
    """The answers to the public cases as the child would send them (float64 only)."""
    from autograder.sandbox import CallResult
    from autograder.grading import _key
    results = {}
    n_outputs = 1 if problem.packed else len(problem.outputs)
    for case in public.cases:
        args = oracle.cast_args(case.args, "float64")
        start = time.perf_counter()
        try:
            value = fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
        except Exception as e:
            r = CallResult(error=f"{type(e).__name__}: {e}"[:480], raised=type(e).__name__,
                           raised_mro=tuple(c.__name__ for c in type(e).__mro__))
        else:
            arrays, why = as_arrays(value, n_outputs)        # the sandbox's own rule
            r = CallResult(outputs=None if arrays is None else tuple(arrays), error=why)
        results[_key(problem.name, case.name, "float64")] = \
            CallResult(r.outputs, r.error, r.raised, time.perf_counter() - start, r.raised_mro)
    return results


def public_case(name: str, case: str) -> tuple:
    """The arguments of one public case of problem `name` (fresh float64 copies), to call
    your function on: `conv_forward(*public_case("conv_forward", "N1C2F3_7x6_f3x2_s2_p0"))`."""
    seed = settings(name)[0]
    found = next(c for c in oracle.public_cases(registry.get(name), seed).cases if c.name == case)
    return tuple(a.copy() if isinstance(a, np.ndarray) else a
                 for a in oracle.cast_args(found.args, "float64"))


def _size(args) -> int:
    return sum(a.size for a in args if isinstance(a, np.ndarray))


def smallest_failing(problem, public, failing: set[str], student: dict, lang: str,
                     readable: int = 12) -> list[str]:
    """The smallest failing public case as a call the student can run, and (when small enough
    to read) the expected and the student's outputs."""
    from autograder.report import printable
    candidates = [c for c in public.cases if c.name in failing and c.raises is None]
    if not candidates:
        return []
    case = min(candidates, key=lambda c: _size(c.args))
    lines = [t("check.smallest", lang, problem=problem.name, case=case.name)]
    expected = public.expected("float64", "cpu")[case.name]
    got = student.get(case.name)
    if got is None or len(got) != len(expected):
        return lines
    from autograder.compare import close
    tol = settings(problem.name)[1]
    for name, e, a in zip(problem.outputs, expected, got):
        if e.size <= readable and a.size <= readable and not close(a, e, tol):
            show = {"precision": 4, "suppress_small": True, "max_line_width": 10**6}
            lines.append(printable(t("check.expected_yours", lang, output=name,
                                     expected=np.array2string(e, **show).replace("\n", ""),
                                     actual=np.array2string(a, **show).replace("\n", ""))))
    return lines


def _answer(problem, fn, calls) -> dict:
    """The answers to `calls` (sandbox.Call records) as the child would send them."""
    from autograder.sandbox import CallResult
    results = {}
    for call in calls:
        try:
            value = fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in call.args])
        except Exception as e:
            results[call.key] = CallResult(error=f"{type(e).__name__}: {e}"[:480],
                                           raised=type(e).__name__,
                                           raised_mro=tuple(c.__name__ for c in type(e).__mro__))
            continue
        arrays, why = as_arrays(value, call.n_outputs)
        results[call.key] = CallResult(outputs=None if arrays is None else tuple(arrays), error=why)
    return results


def explain(problem, fn, result, seed: int, tol):
    """The grader's explanation of a failing problem, made here: the smallest failing case and
    what the probes show (autograder.grading.explain, run in this kernel)."""
    import dataclasses
    from autograder.diagnose import arg_names
    if result.status == "pass":
        return result
    try:                          # the small cases' answers come from the oracle (PyTorch)
        from autograder import probes, shrink
    except ImportError:
        return result
    lattice = shrink.lattice_of(problem, seed)
    planned = probes.plan(problem, seed)
    results = _answer(problem, fn, shrink.calls(lattice) + planned.calls)
    small = shrink.minimal(lattice, results, tol, arg_names(problem))
    found = planned.read(results) if result.diagnosis is None else None
    weak = result.pattern is None or result.pattern.key in probes.WEAKER
    return dataclasses.replace(result, minimal=small,
                               pattern=found if found is not None and weak else result.pattern)


def check(name: str, fn, *, lang: str | None = None) -> bool:
    """Run the public cases of `name` on `fn` and print what passed; True when all did."""
    from autograder.grading import score_problem
    from autograder.i18n import detail
    from autograder.report import feedback_lines, printable
    problem = registry.get(name)
    seed, tol, course_lang, forbidden = settings(name)
    lang = lang or course_lang
    public = oracle.public_cases(problem, seed)
    n = len(public.cases)
    banned = forbidden_import(fn, forbidden)
    if banned:
        why = (f"ImportError: import of {banned!r} is not allowed in this assignment "
               f"(implement it with NumPy)")
        text = "\n".join([t("check.bad", lang, problem=name, n=n, n_passed=0),
                          "  " + printable(detail(why, lang))])
        passed = False
    else:
        gp = GradedProblem(problem, 1.0, {"float64": tol, "float32": tol}, ("cpu",))
        result = score_problem(gp, public, _run(problem, fn, public), dtypes=("float64",))
        failing = {m.case for m in result.mismatches}
        n_passed = sum(c.name not in failing for c in public.cases)
        key = "check.ok" if n_passed == n else "check.bad"
        passed = n_passed == n
        if failing:
            result = explain(problem, fn, result, seed, tol)
        lines = feedback_lines(result, lang)[:-1] if failing else []
        shown = {m.case for m in result.mismatches[:1]}
        from autograder.report import mismatch_line
        for m in result.mismatches[1:]:
            if m.case not in shown and len(shown) < 3:
                shown.add(m.case)
                lines.append(printable(mismatch_line(m, name, lang)))
        if failing and not result.minimal:
            lines += smallest_failing(problem, public, failing, result.outputs or {}, lang)
        text = "\n".join([t(key, lang, problem=name, n=n, n_passed=n_passed),
                          *("  " + line for line in lines)])
    caller = sys._getframe(1).f_globals.get("__name__")
    last = _shown.get(name)
    if caller == "autograder.notebook" and last is not None and last[0] is fn and last[1] == text:
        print(t("check.same", lang, line=text.splitlines()[0]))
        return passed
    _shown[name] = (fn, text)
    print(text)
    return passed
