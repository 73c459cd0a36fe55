"""The digest of a wrong answer on the inputs every student shares, recorded with the grade.

Hidden cases differ per submission, so two students' graded outputs are never answers to the
same question. The public cases (`seeds.public`, what check() runs) are the same for everyone:
after grading, each problem a submission got wrong (fail or partial) is called once more on
them, in the sandbox, float64, ungraded. If the answers are wrong there too, their SHA-256
(shapes and float64 bytes, case by case) goes into the problem's record as `output_digest`.
Two students with the same digest gave the same wrong answer byte for byte (same bug, same
arithmetic in the same order): `autograder similarity --graded` lists them for review.
Right answers and errors are not digested (everyone right, and every unfinished stub, would
share one). Nothing here changes a score; a failure here only leaves the digest out.
"""
from __future__ import annotations

import dataclasses
import hashlib

import numpy as np

from autograder import oracle, sandbox
from autograder.compare import compare
from autograder.registry import unpack

WRONG = ("fail", "partial")


def _key(problem: str, case: str) -> str:
    return f"public|{problem}|{case}"


def answer_digest(outputs_by_case: list[tuple[str, tuple]]) -> str:
    """SHA-256 of answers, case by case: each output's shape and its float64 bytes."""
    h = hashlib.sha256()
    for case, outputs in outputs_by_case:
        h.update(f"{case}\0{len(outputs)}\0".encode())
        for a in outputs:
            a = np.ascontiguousarray(a, dtype=np.float64)
            h.update(repr(a.shape).encode() + b"\0" + a.tobytes())
    return h.hexdigest()


def with_output_digests(course, assignment, submission, problems: tuple) -> tuple:
    """`problems` (CheckResults) with `output_digest` set on each wrong problem whose answers
    to the public cases are wrong as well."""
    wrong = [p for p in problems if p.status in WRONG]
    if not wrong:
        return problems
    calls, cases = [], {}
    for p in wrong:
        gp = assignment.problem(p.problem)
        cases[p.problem] = oracle.public_cases(gp.problem, course.public_seed)
        for case in cases[p.problem].cases:
            if case.raises is None:
                calls.append(sandbox.Call(_key(p.problem, case.name), f"public|{p.problem}",
                                          p.problem, oracle.cast_args(case.args, "float64"),
                                          1 if gp.problem.packed else len(gp.problem.outputs)))
    try:
        run = sandbox.run(submission.cells, f"<{submission.path.name}>", calls, course.policy)
    except Exception:                     # never a grade's concern: the digest is left out
        return problems
    digests = {}
    for p in wrong:
        gp = assignment.problem(p.problem)
        answers, differs = [], False
        expected = cases[p.problem].expected("float64", "cpu")
        for case in cases[p.problem].cases:
            if case.raises is not None:
                continue
            r = run.results.get(_key(p.problem, case.name))
            outputs = None if r is None or r.outputs is None else unpack(gp.problem, r.outputs)[0]
            if outputs is None:
                break
            answers.append((case.name, outputs))
            differs |= any(compare(np.asarray(a, dtype=np.float64), e, gp.tolerance["float64"],
                                   output=name, case=case.name, dtype="float64", device="cpu")
                           is not None
                           for name, a, e in zip(gp.problem.outputs, outputs, expected[case.name]))
        else:
            if answers and differs:
                digests[p.problem] = answer_digest(answers)
    return tuple(dataclasses.replace(p, output_digest=digests[p.problem])
                 if p.problem in digests else p for p in problems)
