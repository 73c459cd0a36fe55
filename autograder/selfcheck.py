"""`check(name, fn)` in a student's notebook: the public cases only, run right there.

Advisory: it runs in the student's own kernel, so it can be fooled, and it grades nothing.
The grade comes from the hidden cases, run in the sandbox by `autograder grade`. It follows
the grader's rules: the same acceptance (`grading.score_problem` on the answers, so an
exception subclass, a list or an array where a tuple is asked count alike), the same
diagnosis, and the grader's own message for a forbidden import.

Where the public cases come from: the released notebook of the kernel, which carries them
with the oracle's answers, its language and the course's public-case settings
(autograder.public_data: no PyTorch, no course.yaml needed, nothing computed); else, for a
notebook that was not released (the instructor's source), the PyTorch oracle on course.yaml's
public seed. Both give the same feedback (tests/test_student_package.py).
"""
from __future__ import annotations

import functools
import sys
import time
import types
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from autograder import public_data, registry
from autograder.i18n import t
from autograder.registry import Tol
from autograder.sandbox_worker import as_arrays, fresh_copy

# what check() last printed per problem, with the function it ran: the graded cell's rerun
# of the same function says "see above" instead of printing every line again
_shown: dict[str, tuple[object, str]] = {}


class Settings(NamedTuple):
    seed: int
    tolerance: Tol
    lang: str
    forbidden: tuple[str, ...]


def released(name: str) -> public_data.Released | None:
    """The released notebook of this kernel that has problem `name` (its answers, language
    and settings), or None."""
    return public_data.find(name)


def settings(name: str) -> Settings:
    """(public seed, tolerance, language, forbidden imports): the released notebook's, else
    the course's (course.yaml), else defaults."""
    found = released(name)
    if found is not None:
        return Settings(found.public_seed, found.tolerance(name), found.lang,
                        found.forbidden_imports)
    return _course_settings(name)


@functools.lru_cache(maxsize=None)
def _course_settings(name: str) -> Settings:
    from autograder.course import CourseError, load_course
    try:
        course = load_course()
        gp = next(p for a in course.assignments for p in a.problems if p.name == name)
        return Settings(course.public_seed, gp.tolerance["float64"], course.language,
                        tuple(course.forbidden_imports))
    except (CourseError, StopIteration, OSError, ImportError):
        return Settings(0, registry.DEFAULT_TOLERANCE["float64"], "en", ("torch",))


class NoPublicCases(Exception):
    """Neither a released notebook with the problem nor PyTorch to compute its answers."""


def public_set(name: str):
    """Problem `name`'s public cases and their answers: those shipped in the released
    notebook (no PyTorch, nothing computed), else the oracle's on the course's public seed."""
    found = released(name)
    if found is not None:
        return found.case_set(name)
    try:
        from autograder import oracle
    except ImportError:
        raise NoPublicCases(name) from None
    return oracle.public_cases(registry.get(name), settings(name).seed)


def call_args(public, case) -> tuple:
    """The float64 arguments the student's function receives for `case` (the notebook ships
    them already cast)."""
    if isinstance(public, public_data.ShippedCaseSet):
        return case.args
    from autograder import oracle
    return oracle.cast_args(case.args, "float64")


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
        args = call_args(public, case)
        start = time.perf_counter()
        try:
            value = fn(*[fresh_copy(a) for a in args])
        except Exception as e:
            r = CallResult(error=f"{type(e).__name__}: {e}"[:480], raised=type(e).__name__,
                           raised_mro=tuple(c.__name__ for c in type(e).__mro__))
        else:
            arrays, why = as_arrays(value, n_outputs, problem.returns)   # the sandbox's own rule
            r = CallResult(outputs=None if arrays is None else tuple(arrays), error=why)
        results[_key(problem.name, case.name, "float64")] = \
            CallResult(r.outputs, r.error, r.raised, time.perf_counter() - start, r.raised_mro)
    return results


def public_case(name: str, case: str) -> tuple:
    """The arguments of one public case of problem `name` (fresh float64 copies), to call
    your function on: `conv_forward(*public_case("conv_forward", "N1C2F3_7x6_f3x2_s2_p0"))`."""
    public = public_set(name)
    found = next(c for c in public.cases if c.name == case)
    return tuple(fresh_copy(a) for a in call_args(public, found))


def _size(args) -> int:
    return sum(_size(a.values()) if isinstance(a, dict) else a.size
               for a in args if isinstance(a, (np.ndarray, dict)))


def smallest_failing(problem, public, failing: set[str], student: dict, lang: str,
                     readable: int = 12) -> list[str]:
    """The smallest failing public case as a call the student can run, and (when small enough
    to read) the expected and the student's outputs."""
    from autograder.report import printable
    candidates = [c for c in public.cases if c.name in failing and c.valued]
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


def _answer(fn, calls) -> dict:
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


def explain(name: str, fn, result, seed: int, tol):
    """The grader's explanation of a failing problem, made here: the smallest failing case and
    what the probes show (autograder.grading.explain, run in this kernel). Its small cases'
    answers come from the oracle: without PyTorch, the result is left as it is (the smallest
    failing public case is shown instead)."""
    if result.status == "pass":
        return result
    try:
        from autograder import probes, shrink
        problem = registry.all_problems()[name]    # the declared one, with its generators
    except (ImportError, KeyError):
        return result
    try:
        from autograder.oracle import load_torch
        load_torch()                               # the small cases' answers need it
    except ImportError:
        return result
    lattice = shrink.lattice_of(problem, seed)
    planned = probes.plan(problem, seed)
    results = _answer(fn, shrink.calls(lattice) + planned.calls)
    from autograder.grading import explained
    return explained(result, problem, lattice, planned, results, tol)


@dataclass(frozen=True)
class Outcome:
    """What check() found for one problem: the text it prints, and the counts."""
    problem: str
    text: str
    n_passed: int
    n: int

    @property
    def passed(self) -> bool:
        return self.n > 0 and self.n_passed == self.n


def outcome(name: str, fn, lang: str | None = None) -> Outcome:
    """Run the public cases of `name` on `fn` and say what happened (nothing printed)."""
    seed, tol, course_lang, forbidden = settings(name)
    lang = lang or course_lang
    try:
        public = public_set(name)
    except NoPublicCases:
        return Outcome(name, t("check.no_cases", lang, problem=name), 0, 0)
    problem = public.problem
    if isinstance(public, public_data.ShippedCaseSet):      # the reporters see the same record
        with registry.released(problem):
            return _outcome(name, fn, lang, public, tol, forbidden)
    return _outcome(name, fn, lang, public, tol, forbidden)


def _outcome(name, fn, lang, public, tol, forbidden) -> Outcome:
    from autograder.grading import score_problem
    from autograder.i18n import detail
    from autograder.report import feedback_lines, printable
    from autograder.course import GradedProblem
    problem = public.problem
    n = len(public.cases)
    n_passed = 0
    banned = forbidden_import(fn, forbidden)
    if banned:
        why = (f"ImportError: import of {banned!r} is not allowed in this assignment "
               f"(implement it with NumPy)")
        text = "\n".join([t("check.bad", lang, problem=name, n=n, n_passed=0),
                          "  " + printable(detail(why, lang))])
    else:
        gp = GradedProblem(problem, 1.0, {"float64": tol, "float32": tol}, ("cpu",))
        result = score_problem(gp, public, _run(problem, fn, public), dtypes=("float64",))
        failing = {m.case for m in result.mismatches}
        n_passed = sum(c.name not in failing for c in public.cases)
        key = "check.ok" if n_passed == n else "check.bad"
        if failing:
            result = explain(name, fn, result, settings(name).seed, tol)
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
    return Outcome(name, text, n_passed, n)


def check(name: str, fn, *, lang: str | None = None) -> bool | None:
    """Run the public cases of problem `name` on `fn` and print what passed (advisory).
    True when all passed, False when one failed, None when there were none to run."""
    found = outcome(name, fn, lang)
    text = found.text
    verdict = found.passed if found.n else None
    caller = sys._getframe(1).f_globals.get("__name__")
    last = _shown.get(name)
    if caller == "autograder.notebook" and last is not None and last[0] is fn and last[1] == text:
        print(t("check.same", lang or settings(name).lang, line=text.splitlines()[0]))
        return verdict
    _shown[name] = (fn, text)
    print(text)
    return verdict


@dataclass(frozen=True)
class Summary:
    """What check_all() found: each problem's outcome. Shown as its one summary line (the
    per-problem results are printed once, by check_all itself); true when all passed."""
    assignment: str | None
    outcomes: tuple[Outcome, ...]
    lang: str

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    def __bool__(self) -> bool:
        return bool(self.outcomes) and self.passed == len(self.outcomes)

    def __repr__(self) -> str:
        return t("check.summary", self.lang, passed=self.passed, total=len(self.outcomes),
                 n_passed=sum(o.n_passed for o in self.outcomes),
                 n=sum(o.n for o in self.outcomes))


def _problems_of(assignment: str | None, env: dict) -> tuple[str | None, list[str], str | None]:
    """(assignment, its problems in notebook order, the notebook's language) for check_all:
    the released notebook of this kernel (the one Jupyter names, else the one in the working
    folder whose functions `env` defines most), else the registry's, else none."""
    candidates = [r for r in public_data.released_here()
                  if assignment is None or r.assignment == assignment]
    if candidates:
        named = [r for r in candidates if r.path in public_data.named_notebooks()]
        best = named[0] if named else max(
            candidates, key=lambda r: sum(callable(env.get(n)) for n in r.order))
        return best.assignment, list(best.order), best.lang
    try:
        if assignment is not None:
            return assignment, [p.name for p in registry.problems_of(assignment)], None
        by_assignment: dict[str, list[str]] = {}
        for p in registry.all_problems().values():
            by_assignment.setdefault(p.assignment, []).append(p.name)
    except (ImportError, KeyError):
        return assignment, [], None
    scored = [(sum(callable(env.get(n)) for n in names), a, names)
              for a, names in by_assignment.items()]
    best = max(scored, default=(0, None, []))
    return (best[1], best[2], None) if best[0] else (None, [], None)


def check_all(assignment: str | None = None, *, lang: str | None = None,
              namespace: dict | None = None) -> Summary:
    """Every public check of the notebook's problems, on the functions this kernel defines
    (the caller's globals, or `namespace`): each result printed once; returns the summary."""
    env = namespace if namespace is not None else sys._getframe(1).f_globals
    ident, names, notebook_lang = _problems_of(assignment, env)
    lang = lang or notebook_lang or (settings(names[0]).lang if names else None) or \
        _course_settings("").lang
    if not names:
        print(t("check.no_notebook", lang))
        return Summary(ident, (), lang)
    outcomes = []
    for name in names:
        fn = env.get(name)
        if callable(fn):
            o = outcome(name, fn, lang)
            _shown[name] = (fn, o.text)
        else:
            try:
                n = len(public_set(name).cases)
                o = Outcome(name, t("check.undefined", lang, problem=name, n=n), 0, n)
            except NoPublicCases:
                o = Outcome(name, t("check.no_cases", lang, problem=name), 0, 0)
        print(o.text)
        outcomes.append(o)
    return Summary(ident, tuple(outcomes), lang)
