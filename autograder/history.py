"""A student's gradings over time, so that "why did my grade change?" has an answer.

Every grading written under `--out` appends one line to OUT/STUDENT/ID/history.jsonl: when,
which file, the digest of the code graded, the score and each problem's score, status and
diagnosis, and what else decides a grade: an id of the course secret (an HMAC of it, never
the secret) and a digest of course.yaml. Between two gradings a score changes because the
code changed (new digest: new hidden cases), the secret changed (new hidden cases for the
same code), course.yaml changed (points, tolerances, limits), or, with all three the same,
the grader itself changed. `autograder history OUT --student ID` prints it;
`autograder grade SUBMITTED/ --student ID --out OUT` regrades that one student and says what
changed.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import threading
import time
from pathlib import Path

FILE = "history.jsonl"
_lock = threading.Lock()


def grading_context(course, secret: bytes | None) -> dict:
    """What besides the code decides a grade: an id of the secret, a digest of course.yaml."""
    context = {}
    if secret:
        context["secret_id"] = hmac.new(secret, b"autograder secret id", hashlib.sha256).hexdigest()[:12]
    try:
        context["course_digest"] = hashlib.sha256(
            (Path(course.root) / "course.yaml").read_bytes()).hexdigest()[:12]
    except OSError:
        pass
    return context


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def entry(result, path, context: dict) -> dict:
    """One grading as a history line."""
    from autograder.report import printable
    try:
        submitted = _iso(os.lstat(path).st_mtime)
    except OSError:
        submitted = None
    return {"graded_at": _iso(time.time()), "submitted_at": submitted,
            "assignment": result.assignment, "submission": printable(result.path),
            "digest": result.digest, "score": round(result.score, 4), "max_score": result.max_score,
            "error": printable(result.error) if result.error else None,
            "problems": {p.problem: {"score": round(p.score, 4), "status": p.status,
                                     "diagnosis": p.diagnosis} for p in result.problems},
            **context}


def append(folder: Path, line: dict) -> None:
    """Add a line to the folder's history in one write (O_APPEND: never interleaved)."""
    data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    with _lock:
        fd = os.open(Path(folder) / FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def read(out_dir, student: str, assignment: str | None = None) -> dict[str, list[dict]]:
    """{assignment: its history lines, oldest first} of one student under `out_dir`; a torn
    or malformed line is skipped."""
    from autograder.batch import safe_name
    root = Path(out_dir) / safe_name(student)
    out: dict[str, list[dict]] = {}
    if not root.is_dir():
        return out
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if assignment and folder.name != safe_name(assignment):
            continue
        try:
            text = (folder / FILE).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = []
        for raw in text.splitlines():
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if isinstance(line, dict) and isinstance(line.get("problems"), dict):
                lines.append(line)
        if lines:
            out[folder.name] = lines
    return out


def why_changed(before: dict, after: dict, lang: str) -> list[str]:
    """Why `after`'s grade differs from `before`'s (or that it does not), then each problem
    whose score or status changed."""
    from autograder.i18n import t
    lines = []
    causes = []
    if before.get("digest") != after.get("digest"):
        causes.append(t("hist.code_changed", lang, old=str(before.get("digest"))[:12],
                        new=str(after.get("digest"))[:12]))
    if before.get("secret_id") != after.get("secret_id"):
        causes.append(t("hist.secret_changed", lang))
    if before.get("course_digest") != after.get("course_digest"):
        causes.append(t("hist.course_changed", lang))
    same_score = before.get("score") == after.get("score")
    if not causes:
        causes.append(t("hist.same_inputs" if same_score else "hist.grader_changed", lang))
    lines.append(t("hist.score_change", lang, old=before.get("score"), new=after.get("score"),
                   max=after.get("max_score")))
    lines += ["  " + c for c in causes]
    old_p, new_p = before.get("problems", {}), after.get("problems", {})
    for name in list(dict.fromkeys([*old_p, *new_p])):
        a, b = old_p.get(name, {}), new_p.get(name, {})
        if (a.get("score"), a.get("status")) != (b.get("score"), b.get("status")):
            lines.append("  " + t("hist.problem_change", lang, problem=name,
                                  old=a.get("score", "-"), new=b.get("score", "-"),
                                  status=t(f"status.{b['status']}", lang) if b.get("status")
                                  else "-"))
    return lines


def render(student: str, histories: dict[str, list[dict]], lang: str) -> str:
    """A student's gradings, oldest first, with what changed between each two."""
    from autograder.i18n import t
    from autograder.report import printable
    out = []
    for assignment, lines in histories.items():
        out.append(t("hist.header", lang, student=printable(student), assignment=assignment,
                     n=len(lines)))
        for i, line in enumerate(lines):
            out.append("  " + t("hist.line", lang, graded_at=line.get("graded_at"),
                                submitted_at=line.get("submitted_at") or "-",
                                digest=str(line.get("digest") or "-")[:12], score=line.get("score"),
                                max=line.get("max_score"), submission=line.get("submission")))
            if i:
                out += ["    " + x for x in why_changed(lines[i - 1], line, lang)]
    return "\n".join(out)


def select_student(items: list, student: str) -> list:
    """The items of one student (by the id discovery gave them)."""
    from autograder.batch import safe_name
    wanted = safe_name(student)
    return [i for i in items if safe_name(i.student) == wanted]


def merge_scores(path: Path, rows) -> None:
    """Rewrite scores.csv with `rows` ((student, result) pairs) in place of those students'
    rows for those assignments; every other row is kept as it was (a one-student regrade must
    not drop the class)."""
    from autograder.report import write_csv
    path = Path(path)
    fresh = path.with_name(path.name + ".new")
    write_csv(fresh, rows)
    with fresh.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        new_header, new_rows = list(reader.fieldnames or []), list(reader)
    fresh.unlink()
    old_header, old_rows = [], []
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            old_header, old_rows = list(reader.fieldnames or []), list(reader)
    replaced = {(r["student"], r["assignment"]) for r in new_rows}
    header = list(dict.fromkeys(old_header + new_header))
    kept = [r for r in old_rows if (r.get("student"), r.get("assignment")) not in replaced]
    done = {(r["student"], r["assignment"]): r for r in new_rows}
    merged, seen = [], set()
    for r in old_rows:                      # the regraded rows stay where they were
        key = (r.get("student"), r.get("assignment"))
        if key in done:
            merged.append(done[key])
            seen.add(key)
        else:
            merged.append(r)
    merged += [r for k, r in done.items() if k not in seen]
    assert len(merged) == len(kept) + len(done)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, restval="")
        w.writeheader()
        w.writerows(merged)
    tmp.replace(path)
