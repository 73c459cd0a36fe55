"""Reporters: results in, text out. Data first (`feedback_lines`), then paint (`render_*`).

Student-controlled text (exception messages, notes, file names) reaches every report
through `printable`: terminal escapes, carriage returns, other control characters and
bidirectional overrides become visible escapes such as `\\x1b`, so a submission can neither
repaint the instructor's terminal nor forge a line of the table.

The JSON format (`render_json`) is stable: a top-level object with "version": 1 and
"submissions": [{path, assignment, score, max_score, passed, error, seconds, notes,
problems: [{name, status, score, max_score, n_passed, n_checks, diagnosis, feedback}]}].
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

from autograder import registry
from autograder.compare import Mismatch
from autograder.grading import CheckResult, SubmissionResult
from autograder.i18n import detail, t

JSON_VERSION = 1
# C0 (tab and, where allowed, newline excepted), DEL, C1, and the invisible bidi / line-breaking
# format characters that can reorder or split what a reader sees
UNSAFE_CODES = frozenset(
    [c for c in range(0x20) if c not in (0x09, 0x0A)] + list(range(0x7F, 0xA0))
    + [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_ESCAPES = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in sorted(UNSAFE_CODES)}
_ESCAPES_ONE_LINE = {**_ESCAPES, 0x0A: "\\n"}


def printable(text, newlines: bool = False) -> str:
    """`text` with every control and bidi-override character shown as an escape (`\\x1b`,
    `\\u202e`); newlines are kept only with `newlines=True`. The one escaping function of every
    report: text, JSON, results.json, HTML (before html-escaping), CSV."""
    if text is None:
        return ""
    return str(text).translate(_ESCAPES if newlines else _ESCAPES_ONE_LINE)
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
        if m.detail.startswith("not loaded: "):
            return t("not_loaded", lang, problem=problem,
                     cause=detail(m.detail[len("not loaded: "):], lang))
        return t("call_error", lang, problem=problem, **fields)
    return t(m.kind, lang, **fields)


def feedback_lines(c: CheckResult, lang: str = "en") -> list[str]:
    """What a student reads about one problem: the cause first, then the measured facts
    (each a single printable line)."""
    return [printable(line) for line in _feedback_lines(c, lang)]


def outputs_line(c: CheckResult, lang: str) -> str | None:
    """For a multi-output function: which outputs are right and which are wrong."""
    try:
        outputs = registry.get(c.problem).outputs
    except KeyError:
        return None
    if len(outputs) < 2 or not c.mismatches \
            or any(m.kind not in ("shape", "nonfinite", "values") for m in c.mismatches):
        return None
    wrong = [o for o in outputs if any(m.output == o for m in c.mismatches)]
    right = [o for o in outputs if o not in wrong]
    if not right:
        return None
    return t("outputs.split", lang, right=", ".join(right), wrong=", ".join(wrong))


def pattern_text(p, lang: str) -> str:
    params = dict(p.params)
    if p.key == "shape":
        params["hint_text"] = t(params.get("hint", "hint.none"), lang, output=p.params["output"],
                                arg=params.get("hint_arg", ""), shape=params.get("hint_shape", ""))
    text = t(f"pattern.{p.key}", lang, **params).rstrip()
    if params.get("remark"):
        text += " " + t(params["remark"], lang)
    return text


def minimal_lines(c: CheckResult, lang: str) -> list[str]:
    """The smallest failing case (autograder.shrink): a header, the setup and the call to run,
    then the expected and the student's values of each wrong output (or the error)."""
    m = c.minimal
    if not m:
        return []
    lines = [t("minimal.public" if m.get("public") else "minimal.header", lang)]
    if m.get("only_when"):
        lines.append(t("minimal.only_when", lang, n=m.get("n_small", 0),
                       n_failing=m.get("n_failing", 0),
                       feature=t(f"feature.{m['only_when']}", lang)))
    lines += [f"  {line}" for line in m.get("setup", [])] + [f"  {m.get('call', '')}"]
    if m.get("raises"):
        lines.append(t("minimal.raises", lang, raises=m["raises"], error=detail(m.get("error"), lang)))
    elif m.get("error"):
        lines.append(t("minimal.error", lang, error=detail(m["error"], lang)))
    for output, expected, actual in m.get("outputs", []):
        lines.append(t("check.expected_yours", lang, output=output, expected=expected, actual=actual))
    return lines


def stdout_lines(c: CheckResult, lang: str, limit: int = 40) -> list[str]:
    """What the student's own calls of this problem printed, at most `limit` lines."""
    if not c.stdout:
        return []
    text = c.stdout.splitlines()
    lines = [t("stdout.header", lang, problem=c.problem)] + [f"  | {line}" for line in text[:limit]]
    if len(text) > limit:
        lines.append(t("stdout.cut", lang, n=sum(len(x) + 1 for x in text[:limit])))
    return lines


def _feedback_lines(c: CheckResult, lang: str) -> list[str]:
    lines = []
    if c.status == "pass":
        return [t("passed_cases", lang, n_passed=c.n_passed, n_checks=c.n_checks),
                *stdout_lines(c, lang)]
    split = outputs_line(c, lang)
    if split:
        lines.append(split)
    if c.diagnosis:
        lines.append(t("likely", lang, text=diagnosis_text(c.problem, c.diagnosis, lang)))
    if c.pattern is not None:
        lines.append(pattern_text(c.pattern, lang))
    if c.mismatches:
        lines.append(mismatch_line(c.mismatches[0], c.problem, lang))
    elif c.error:
        lines.append(detail(c.error, lang))
    lines += minimal_lines(c, lang)
    lines += stdout_lines(c, lang)
    lines.append(t("passed_cases", lang, n_passed=c.n_passed, n_checks=c.n_checks))
    return lines


def _paint(text: str, status: str, color: bool) -> str:
    return f"\033[{_COLORS[status]}m{text}\033[0m" if color else text


def render_text(results: list[SubmissionResult], lang: str = "en", color: bool | None = None) -> str:
    """A per-problem table for each submission: points, status, feedback."""
    color = sys.stdout.isatty() if color is None else color
    out = []
    for r in results:
        out.append(printable(t("header", lang, path=r.path, assignment=r.assignment, score=r.score,
                               max_score=r.max_score)))
        if r.unsafe:
            out.append(f"  {_paint(t('unsafe', lang), 'error', color)}")
        if r.error:
            out.append(f"  {_paint(t('status.error', lang), 'error', color)}  "
                       f"{printable(detail(r.error, lang))}")
            out.append("")
            continue
        width = max((len(p.problem) for p in r.problems), default=0)
        for p in r.problems:
            status = t(f"status.{p.status}", lang)
            lines = feedback_lines(p, lang)
            out.append(f"  {p.problem:<{width}}  {p.score:>5.4g}/{p.max_score:<4g} "
                       f"{_paint(f'{status:<8}', p.status, color)} {lines[0]}")
            out.extend(f"  {'':<{width}}  {'':>10} {'':<8} {line}" for line in lines[1:])
        out.extend("  " + printable(t("note", lang, text=detail(n, lang))) for n in r.notes)
        out.append("")
    return "\n".join(out)


def to_dict(r: SubmissionResult, lang: str = "en") -> dict:
    return {
        "path": printable(r.path), "assignment": printable(r.assignment), "score": round(r.score, 4),
        "max_score": r.max_score, "passed": r.passed,
        "error": None if r.error is None else printable(r.error, newlines=True),
        "seconds": round(r.seconds, 4), "notes": [printable(n, newlines=True) for n in r.notes],
        "unsafe": r.unsafe,
        "problems": [{
            "name": p.problem, "status": p.status, "score": p.score, "max_score": p.max_score,
            "n_passed": p.n_passed, "n_checks": p.n_checks, "diagnosis": p.diagnosis,
            "feedback": feedback_lines(p, lang),
            "minimal_case": _printable_record(p.minimal),
            "stdout": printable(p.stdout, newlines=True)} for p in r.problems],
    }


def _printable_record(value):
    """A record of words (the minimal case) with every string made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable_record(v) for v in value]
    if isinstance(value, dict):
        return {k: _printable_record(v) for k, v in value.items()}
    return value


def render_json(results: list[SubmissionResult], lang: str = "en") -> str:
    return json.dumps({"version": JSON_VERSION, "submissions": [to_dict(r, lang) for r in results]},
                      ensure_ascii=False, indent=2)


GRADESCOPE_VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")
# what a student sees when, in Gradescope: `hidden` is the graded (hidden-case) outcome of each
# problem, `summary` its one line of what failed (a test of its own when the two differ),
# `stdout` the grader's log. course.yaml's `gradescope:` section overrides (autograder/gradescope.py).
DEFAULT_POLICY = {"hidden": "visible", "summary": "visible", "stdout": "hidden"}


def markdown_block(lines) -> str:
    """Lines as one fenced block in Markdown: the fence is longer than any run of backticks in
    them, so student-controlled text cannot close it (no links, images or HTML from it)."""
    text = "\n".join(lines)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}" if text else ""


def _worst(p: CheckResult) -> dict | None:
    if not p.mismatches:
        return None
    m = p.mismatches[0]
    return {"case": printable(m.case), "output": printable(m.output), "dtype": m.dtype,
            "device": m.device, "kind": m.kind, "index": list(m.index), "n_bad": m.n_bad,
            "n": m.n, "max_abs": m.max_abs if m.max_abs == m.max_abs and abs(m.max_abs) != float("inf")
            else None}


def gradescope(r: SubmissionResult, lang: str = "en", policy: dict | None = None) -> dict:
    """Gradescope's results.json: score, max_score, tests[] with visibility (from `policy`:
    DEFAULT_POLICY's keys), tags (assignment, problem, diagnosed misconception), number,
    output as Markdown, extra_data (status, counts, diagnosis, worst mismatch, digest)."""
    policy = {**DEFAULT_POLICY, **(policy or {})}
    tests = []
    for n, p in enumerate(r.problems, 1):
        lines = feedback_lines(p, lang)
        status = "passed" if p.status == "pass" else "failed"
        tags = [r.assignment, p.problem] + ([p.diagnosis] if p.diagnosis else [])
        test = {"name": p.problem, "number": str(n), "score": round(p.score, 4),
                "max_score": p.max_score, "status": status, "output": markdown_block(lines),
                "output_format": "md", "visibility": policy["hidden"], "tags": tags,
                "extra_data": {"status": p.status, "n_passed": p.n_passed, "n_checks": p.n_checks,
                               "diagnosis": p.diagnosis,
                               "pattern": p.pattern.key if p.pattern else None,
                               "worst": _worst(p), "digest": r.digest,
                               "minimal_case": _printable_record(p.minimal)}}
        if policy["summary"] != policy["hidden"]:
            test["number"] = f"{n}.2"
            tests.append({"name": f"{p.problem}: {t(f'status.{p.status}', lang)}",
                          "number": f"{n}.1", "status": status,
                          "output": markdown_block(lines[:1]), "output_format": "md",
                          "visibility": policy["summary"], "tags": tags})
        tests.append(test)
    result = {"score": round(r.score, 4), "max_score": r.max_score, "tests": tests,
              "execution_time": round(r.seconds, 3), "output_format": "md",
              "stdout_visibility": policy["stdout"],
              "extra_data": {"digest": r.digest, "assignment": r.assignment, "lang": lang}}
    if r.error:
        result["output"] = printable(detail(r.error, lang), newlines=True)
    elif r.notes:
        result["output"] = "\n".join(printable(detail(n, lang)) for n in r.notes)
    if r.unsafe:
        result["output"] = t("unsafe", lang) + ("\n" + result["output"] if "output" in result else "")
        result["extra_data"]["unsafe"] = True
    if "output" in result:
        result["output"] = markdown_block(result["output"].splitlines())
    return result


def write_json(path: Path, data) -> None:
    """Write atomically: a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def write_table(path: Path, header: list[str], rows) -> Path:
    """A CSV file written atomically, as write_json."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    tmp.replace(path)
    return path


def write_csv(path: Path, rows) -> None:
    """One row per student and assignment (`rows`: (student, result) pairs, or bare results,
    whose student column is then empty), one column per problem. The total is the sum of the
    unrounded problem scores, rounded once (4 decimals); two submissions of one student for
    one assignment (both errors) share a row."""
    pairs = [row if isinstance(row, tuple) else ("", row) for row in rows]
    merged: dict[tuple[str, str], list[SubmissionResult]] = {}
    for student, r in pairs:
        merged.setdefault((student, r.assignment), []).append(r)
    names = list(dict.fromkeys(p.problem for _, r in pairs for p in r.problems))
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "score", "max_score", "error", "submission", *names])
        for (student, assignment), group in merged.items():
            r = group[0]
            if len(group) > 1:
                errors = [g.error for g in group if g.error]
                w.writerow([printable(student), printable(assignment), 0, r.max_score,
                            printable(errors[0] if errors else "more than one submission"),
                            printable(" ; ".join(g.path for g in group))])
                continue
            by = {p.problem: round(p.score, 4) for p in r.problems}
            w.writerow([printable(student), printable(assignment), round(r.score, 4), r.max_score,
                        printable(r.error), printable(r.path),
                        *[by.get(n, "") for n in names]])
    tmp.replace(path)
