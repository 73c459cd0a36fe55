"""Reporters: results in, text out. Data first (`feedback_lines`), then paint (`render_*`).

The JSON format (`render_json`) is stable: a top-level object with "version": 1 and
"submissions": [{path, assignment, score, max_score, passed, error, seconds, notes,
problems: [{name, status, score, max_score, n_passed, n_checks, diagnosis, feedback}]}].
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from autograder import registry
from autograder.compare import Mismatch
from autograder.grading import CheckResult, SubmissionResult
from autograder.i18n import detail, t

JSON_VERSION = 1
_COLORS = {"pass": "32", "partial": "33", "fail": "31", "error": "31"}


def diagnosis_text(problem: str, name: str, lang: str) -> str:
    m = next(m for m in registry.get(problem).misconceptions if m.name == name)
    return m.text.get(lang, m.text["en"])


def mismatch_line(m: Mismatch, problem: str, lang: str) -> str:
    fields = {k: getattr(m, k) for k in m.__dataclass_fields__}
    fields["detail"] = detail(m.detail, lang)
    if m.kind == "error":
        if m.detail == "missing":
            return t("missing", lang, problem=problem)
        return t("call_error", lang, problem=problem, **fields)
    return t(m.kind, lang, **fields)


def feedback_lines(c: CheckResult, lang: str = "en") -> list[str]:
    """What a student reads about one problem: the cause first, then the measured facts."""
    lines = []
    if c.status == "pass":
        return [t("passed_cases", lang, n_passed=c.n_passed, n_checks=c.n_checks)]
    if c.diagnosis:
        lines.append(t("likely", lang, text=diagnosis_text(c.problem, c.diagnosis, lang)))
    elif c.pattern is not None:
        lines.append(t(f"pattern.{c.pattern.key}", lang, **c.pattern.params))
    if c.mismatches:
        lines.append(mismatch_line(c.mismatches[0], c.problem, lang))
    elif c.error:
        lines.append(detail(c.error, lang))
    lines.append(t("passed_cases", lang, n_passed=c.n_passed, n_checks=c.n_checks))
    return lines


def _paint(text: str, status: str, color: bool) -> str:
    return f"\033[{_COLORS[status]}m{text}\033[0m" if color else text


def render_text(results: list[SubmissionResult], lang: str = "en", color: bool | None = None) -> str:
    """A per-problem table for each submission: points, status, feedback."""
    color = sys.stdout.isatty() if color is None else color
    out = []
    for r in results:
        out.append(t("header", lang, path=r.path, assignment=r.assignment, score=r.score,
                     max_score=r.max_score))
        if r.error:
            out.append(f"  {_paint(t('status.error', lang), 'error', color)}  {detail(r.error, lang)}")
            out.append("")
            continue
        width = max(len(p.problem) for p in r.problems)
        for p in r.problems:
            status = t(f"status.{p.status}", lang)
            lines = feedback_lines(p, lang)
            out.append(f"  {p.problem:<{width}}  {p.score:>5.4g}/{p.max_score:<4g} "
                       f"{_paint(f'{status:<8}', p.status, color)} {lines[0]}")
            out.extend(f"  {'':<{width}}  {'':>10} {'':<8} {line}" for line in lines[1:])
        out.extend("  " + t("note", lang, text=detail(n, lang)) for n in r.notes)
        out.append("")
    return "\n".join(out)


def to_dict(r: SubmissionResult, lang: str = "en") -> dict:
    return {
        "path": r.path, "assignment": r.assignment, "score": round(r.score, 4),
        "max_score": r.max_score, "passed": r.passed, "error": r.error,
        "seconds": round(r.seconds, 4), "notes": list(r.notes),
        "problems": [{
            "name": p.problem, "status": p.status, "score": p.score, "max_score": p.max_score,
            "n_passed": p.n_passed, "n_checks": p.n_checks, "diagnosis": p.diagnosis,
            "feedback": feedback_lines(p, lang)} for p in r.problems],
    }


def render_json(results: list[SubmissionResult], lang: str = "en") -> str:
    return json.dumps({"version": JSON_VERSION, "submissions": [to_dict(r, lang) for r in results]},
                      ensure_ascii=False, indent=2)


def gradescope(r: SubmissionResult, lang: str = "en") -> dict:
    """Gradescope's results.json schema: score, max_score, tests[]."""
    tests = [{"name": p.problem, "score": p.score, "max_score": p.max_score,
              "output": "\n".join(feedback_lines(p, lang)),
              "visibility": "visible", "status": "passed" if p.status == "pass" else "failed"}
             for p in r.problems]
    result = {"score": round(r.score, 4), "max_score": r.max_score, "tests": tests,
              "execution_time": round(r.seconds, 3)}
    if r.error:
        result["output"] = detail(r.error, lang)
    elif r.notes:
        result["output"] = "\n".join(detail(n, lang) for n in r.notes)
    return result


def write_json(path: Path, data) -> None:
    """Write atomically: a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def write_csv(path: Path, results: list[SubmissionResult]) -> None:
    """One row per submission, one column per problem."""
    names = list(dict.fromkeys(p.problem for r in results for p in r.problems))
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["submission", "assignment", "score", "max_score", "error", *names])
        for r in results:
            by = {p.problem: p.score for p in r.problems}
            w.writerow([r.path, r.assignment, round(r.score, 4), r.max_score, r.error or "",
                        *[by.get(n, "") for n in names]])
    tmp.replace(path)
