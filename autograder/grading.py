"""Grade one submission of one assignment: extract -> run (sandbox) -> compare -> diagnose
-> score. Each step is a plain function of records; only `run` touches student code, and it
does so in a child process.
"""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from autograder import diagnose, sandbox
from autograder.compare import Mismatch, compare
from autograder.course import Assignment, Course, GradedProblem
from autograder.registry import unpack
from autograder.secret import hidden_seed, load_secret, submission_digest
from autograder.submission import Submission, SubmissionError, read_submission

if TYPE_CHECKING:                       # the oracle imports PyTorch: only where it runs
    from autograder import oracle

Status = Literal["pass", "partial", "fail", "error"]
PRINTED_MAX = sandbox.MAX_CALL_TEXT      # characters of one problem's printed output kept


@dataclass(frozen=True)
class CheckResult:
    """One problem's grade and why."""
    problem: str
    status: Status
    score: float
    max_score: float
    n_passed: int = 0
    n_checks: int = 0
    mismatches: tuple[Mismatch, ...] = ()
    diagnosis: str | None = None              # the matched misconception's name
    pattern: diagnose.Pattern | None = None   # else, a described pattern of the difference
    error: str | None = None                  # "missing", an exception, a timeout
    seconds: float = 0.0                      # the student's own compute time
    # the smallest failing case (autograder.shrink.minimal): plain words, a call to run
    minimal: dict | None = None
    stdout: str = ""                          # what the student's calls of this problem printed
    # the student's float64 arrays of a failing problem, for pictures; never stored on disk
    outputs: dict | None = field(default=None, compare=False, repr=False)
    # wrong here and on the public cases: SHA-256 of those answers (autograder.wrong_outputs)
    output_digest: str | None = None


@dataclass(frozen=True)
class SubmissionResult:
    path: str
    assignment: str
    problems: tuple[CheckResult, ...] = ()
    error: str | None = None                  # the file itself could not be graded
    notes: tuple[str, ...] = ()               # cells that raised while loading
    stdout: str = ""
    seconds: float = 0.0                      # wall time of grading this submission
    digest: str = ""                          # of the code graded: with the secret, its hidden cases
    unsafe: bool = False                      # graded without the sandbox (--unsafe-no-sandbox)

    @property
    def score(self) -> float:
        return sum(p.score for p in self.problems)

    @property
    def max_score(self) -> float:
        return sum(p.max_score for p in self.problems)

    @property
    def passed(self) -> bool:
        return self.error is None and all(p.status == "pass" for p in self.problems)


def _key(problem: str, case: str, dtype: str) -> str:
    return f"{problem}|{case}|{dtype}"


def _dtypes(gp: GradedProblem) -> tuple[str, ...]:
    return ("float64", "float32") if gp.problem.float32 else ("float64",)


Cases = dict[str, "oracle.CaseSet"]      # one submission's hidden cases, by problem name


def hidden_cases(assignment: Assignment, secret: bytes, digest: str) -> Cases:
    """The hidden cases of the submission whose code has `digest`: each problem's seeded by
    HMAC(secret, digest, problem), so they are the same for the same code and new for any
    other. Their oracle values are computed on first use, once, and go with the record."""
    from autograder import oracle        # PyTorch: here, not at import (check() scores without it)
    return {gp.name: oracle.CaseSet(gp.problem, hidden_seed(secret, digest, gp.name), hidden=True)
            for gp in assignment.problems}


def plan(assignment: Assignment, cases: Cases) -> list[sandbox.Call]:
    """Every call the student's code must answer: each graded case in each dtype."""
    from autograder import oracle
    calls = []
    for gp in assignment.problems:
        for case in cases[gp.name].cases:
            for dtype in (_dtypes(gp) if case.raises is None else ("float64",)):
                calls.append(sandbox.Call(_key(gp.name, case.name, dtype), gp.name, gp.name,
                                          oracle.cast_args(case.args, dtype),
                                          1 if gp.problem.packed else len(gp.problem.outputs),
                                          gp.problem.returns))
    return calls


def score_problem(gp: GradedProblem, cases: oracle.CaseSet,
                  results: dict[str, sandbox.CallResult],
                  dtypes: tuple[str, ...] | None = None,
                  causes: dict[str, str] | None = None) -> CheckResult:
    """Compare every answer of one problem (to its `cases`) with the oracle on every device;
    diagnose. `dtypes` narrows the checks (check() in a notebook: float64 only); `causes`
    maps a function a failed cell would have defined to that cell's error (the cause first:
    see diagnose.load_causes)."""
    problem, devices = gp.problem, cases.devices(gp.devices)
    mismatches: list[Mismatch] = []
    n_checks = n_passed = 0
    first_error, seconds, judged_failing = None, 0.0, False
    student64: dict[str, tuple[np.ndarray, ...]] = {}
    failing64: set[str] = set()
    printed: list[str] = []                   # the calls' distinct printed texts, in order
    for case in cases.cases:
        for dtype in ((dtypes or _dtypes(gp)) if case.raises is None else ("float64",)):
            r = results.get(_key(gp.name, case.name, dtype)) or sandbox.CallResult(error="not run")
            seconds += r.seconds
            if r.stdout and r.stdout not in printed and sum(map(len, printed)) < PRINTED_MAX:
                printed.append(r.stdout)
            where = dict(case=case.name, dtype=dtype, device="cpu")
            if case.raises is not None:
                n_checks += 1
                if case.raises.__name__ in (r.raised_mro or (r.raised,)):   # a subclass counts
                    n_passed += 1
                else:
                    kind = "wrong_raise" if r.raised else ("no_raise" if r.error is None else "error")
                    detail = case.raises.__name__ if kind != "error" else r.error
                    mismatches.append(Mismatch(output=problem.outputs[0], kind=kind,
                                               detail=str(detail), **where))
                continue
            outputs, why = (None, r.error) if r.outputs is None else unpack(problem, r.outputs)
            why = diagnose.cause_of(why, gp.name, causes or {})
            if outputs is None:
                n_checks += 1 if case.judge is not None else len(devices)   # judged: once
                first_error = first_error or why
                mismatches.append(Mismatch(output=problem.outputs[0], kind="error",
                                           detail=str(why), **where))
                continue
            if case.judge is not None:              # judged in the grader, once (no device)
                n_checks += 1
                measured, required = case.judge(outputs)
                if measured >= required:
                    n_passed += 1
                else:
                    judged_failing = True
                    mismatches.append(Mismatch(output="params", kind="below",
                                               max_abs=measured, max_rel=required, **where))
                continue
            if dtype == "float64":
                student64[case.name] = outputs
            for device in devices:
                n_checks += 1
                expected = cases.expected(dtype, device)[case.name]
                found = [compare(a, e, gp.tolerance[dtype], output=name, case=case.name,
                                 dtype=dtype, device=device)
                         for name, a, e in zip(problem.outputs, outputs, expected)]
                found = [m for m in found if m is not None]
                if found:
                    mismatches.extend(found)
                    if dtype == "float64" and device == "cpu":
                        failing64.add(case.name)
                else:
                    n_passed += 1
    fraction = n_passed / n_checks if n_checks else 0.0
    status: Status = ("pass" if n_passed == n_checks else "partial" if n_passed else
                      "error" if first_error and not failing64 and not judged_failing else "fail")
    name, described = diagnose.diagnose(cases, student64, failing64, gp.tolerance["float64"],
                                        mismatches)
    return CheckResult(gp.name, status, round(gp.points * fraction, 4), gp.points, n_passed,
                       n_checks, tuple(mismatches), name, described,
                       first_error if status == "error" else None, seconds,
                       stdout="".join(printed)[:PRINTED_MAX],
                       outputs=student64 if failing64 else None)


def grade_source(course: Course, assignment: Assignment, submission: Submission,
                 secret: bytes | None = None) -> SubmissionResult:
    """Grade one submission on its own hidden cases. Without `secret`, the course's is read
    (and made, the first time: see secret.load_secret)."""
    start = time.perf_counter()
    secret = load_secret(course.root, create=True) if secret is None else secret
    digest = submission_digest(submission.cells)
    cases = hidden_cases(assignment, secret, digest)
    run = sandbox.run(submission.cells, f"<{submission.path.name}>", plan(assignment, cases),
                      course.policy_for(assignment))
    causes = diagnose.load_causes(submission.cells, run.notes)
    problems = tuple(score_problem(gp, cases[gp.name], run.results, causes=causes)
                     for gp in assignment.problems)
    problems = explain(course, assignment, submission, problems)
    if run.load_failure is None:
        from autograder.wrong_outputs import with_output_digests
        problems = with_output_digests(course, assignment, submission, problems)
    notes = tuple(run.notes) + ((run.load_failure,) if run.load_failure else ())
    return SubmissionResult(str(submission.path), assignment.id, problems, None, notes,
                            run.stdout, time.perf_counter() - start, digest, run.unsafe)


def _callable(c: CheckResult) -> bool:
    """Whether calling the problem again can show more: not when it is missing, did not load,
    ran out of time or killed its process."""
    e = c.error or ""
    return not (e == "missing" or e.startswith(("not loaded", "not run", "while loading"))
                or "time limit" in e or "killed by" in e or "exited (code" in e)


EXPLAIN_BUDGET_S = 5.0    # of a problem's ungraded calls, estimated from its graded ones


def explain(course: Course, assignment: Assignment, submission: Submission,
            problems: tuple[CheckResult, ...]) -> tuple[CheckResult, ...]:
    """For each failing problem: its smallest failing case and what the probes show, from
    ungraded calls on inputs made from the public seed, run in one more sandbox session (only
    when something failed; a failure here never changes a grade)."""
    from autograder import probes, shrink   # PyTorch: here, not at import (as the oracle)
    by_name = {gp.name: gp for gp in assignment.problems}
    todo = [c for c in problems if c.status != "pass" and _callable(c)]
    if not todo:
        return problems
    lattices = {c.problem: shrink.lattice_of(by_name[c.problem].problem, course.public_seed)
                for c in todo}
    planned = {c.problem: probes.plan(by_name[c.problem].problem, course.public_seed)
               for c in todo}
    calls = []
    for c in todo:                       # within a budget of the student's own compute time
        per_call = c.seconds / max(c.n_checks, 1)
        allowed = int(EXPLAIN_BUDGET_S / max(per_call, 1e-4))
        small = shrink.calls(lattices[c.problem])[:allowed]
        extra = planned[c.problem].calls if c.diagnosis is None else []   # read only then
        calls += small + (extra if len(small) + len(extra) <= allowed else [])
    policy = dataclasses.replace(course.policy, timeout_s=min(course.policy.timeout_s, 5.0))
    try:
        run = sandbox.run(submission.cells, f"<{submission.path.name}>", calls, policy)
    except Exception:                    # no sandbox, or it kept failing: no explanation
        return problems
    return tuple(explained(c, by_name[c.problem].problem, lattices[c.problem], planned[c.problem],
                           run.results, by_name[c.problem].tolerance["float64"])
                 if c.problem in lattices else c for c in problems)


def explained(result: CheckResult, problem, lattice, planned, results, tol) -> CheckResult:
    """`result` with its smallest failing case and, where no mistake is named and only a vague
    pattern was found, what the probes show (from `results`, the answers to the ungraded
    calls of `lattice` and `planned`). The one reading of grading and check()."""
    from autograder import probes, shrink
    small = shrink.minimal(lattice, results, tol, diagnose.arg_names(problem))
    found = planned.read(results) if result.diagnosis is None else None
    weak = result.pattern is None or result.pattern.key in probes.WEAKER
    return dataclasses.replace(result, minimal=small,
                               pattern=found if found is not None and weak else result.pattern)


def failed_submission(path, assignment: Assignment, error: str) -> SubmissionResult:
    """A submission that could not be read: zero on every problem, and the reason."""
    return SubmissionResult(str(path), assignment.id, tuple(
        CheckResult(gp.name, "error", 0.0, gp.points, error=error) for gp in assignment.problems),
        error=error)


def grade_file(course: Course, assignment: Assignment, path: Path | str,
               secret: bytes | None = None) -> SubmissionResult:
    """Grade one file; a broken file becomes an error result, never an exception."""
    try:
        submission = read_submission(path)
    except SubmissionError as e:
        return failed_submission(path, assignment, str(e))
    return grade_source(course, assignment, submission, secret)
