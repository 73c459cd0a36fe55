"""Grade many submissions: find them, tell their assignment, grade in parallel, and record
each result the moment it is known, so a killed batch resumes without grading twice.

Parallelism: threads in this process drive sandbox children (forked from the NumPy-only
fork server); the children do the student's compute on every core, while the oracle's
expected values are computed once here and shared by every submission.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from autograder import oracle
from autograder.course import Assignment, Course
from autograder.grading import (CheckResult, SubmissionResult, failed_submission, grade_file)
from autograder.compare import Mismatch
from autograder.diagnose import Pattern
from autograder.report import gradescope, write_json
from autograder.submission import SUFFIXES

SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git"}


class InputError(Exception):
    """A usage or input mistake: the message is one line for the terminal."""


@dataclass(frozen=True)
class Item:
    path: Path
    assignment: Assignment | None      # None: could not be told
    student: str                       # nbgrader's student id, or the file's stem
    reason: str = ""                   # why the assignment is unknown


def collect(paths: list[str]) -> list[Path]:
    """Every .ipynb / .py under the given files and folders, in a stable order."""
    found = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in SUFFIXES
                            and not SKIP_DIRS & set(f.parts))
        elif p.exists():
            found.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return found


def _defined_functions(path: Path) -> set[str]:
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            cells = json.loads(text).get("cells", [])
            text = "\n".join("".join(c.get("source", "")) for c in cells
                             if c.get("cell_type") == "code")
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", text, flags=re.MULTILINE))
    except (OSError, ValueError, SyntaxError, AttributeError, TypeError):
        return set()
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def identify(course: Course, path: Path, forced: Assignment | None = None) -> Item:
    """Which assignment a file answers: --assignment, else nbgrader's submitted/STUDENT/ID/
    layout or an ID in the path, else the assignment whose functions it defines."""
    parts = path.resolve().parts
    student = path.stem
    if "submitted" in parts:
        i = parts.index("submitted")
        if len(parts) > i + 2:
            student = parts[i + 1]
    if forced is not None:
        return Item(path, forced, student)
    ids = {a.id: a for a in course.assignments}
    for part in reversed(parts):
        stem = Path(part).stem
        if stem in ids:
            return Item(path, ids[stem], student)
    defined = _defined_functions(path)
    scores = [(len(defined & {p.name for p in a.problems}), a) for a in course.assignments]
    best = max(scores, key=lambda s: s[0], default=(0, None))
    if best[0] and sum(1 for s in scores if s[0] == best[0]) == 1:
        return Item(path, best[1], student)
    return Item(path, None, student, f"{path}: cannot tell which assignment this answers "
                                     "(use --assignment)")


def warm_oracle(assignments) -> None:
    """Compute every expected value once, before threads share them."""
    for a in assignments:
        for gp in a.problems:
            for device in oracle.devices_present(gp.devices):
                for dtype in ("float64", "float32"):
                    oracle.expected(gp.problem, gp.seed, True, dtype, device)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _record_name(item: Item) -> str:
    safe = re.sub(r"[^\w.-]+", "_", str(item.path))
    return f"{safe.strip('_')[:150]}-{hashlib.sha1(str(item.path).encode()).hexdigest()[:8]}.json"


def _load_record(path: Path, digest: str) -> SubmissionResult | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("digest") != digest:
        return None
    return from_record(data["result"])


def to_record(r: SubmissionResult) -> dict:
    """A result as plain JSON (it is read back on resume)."""
    def check(p: CheckResult) -> dict:
        d = {k: getattr(p, k) for k in p.__dataclass_fields__ if k != "outputs"}
        d["mismatches"] = [vars(m) | {} for m in p.mismatches]
        d["pattern"] = {"key": p.pattern.key, "params": p.pattern.params} if p.pattern else None
        return d
    d = {k: getattr(r, k) for k in r.__dataclass_fields__}
    d["problems"] = [check(p) for p in r.problems]
    d["notes"] = list(r.notes)
    return json.loads(json.dumps(d, default=list))


def from_record(d: dict) -> SubmissionResult:
    problems = []
    for p in d["problems"]:
        p = dict(p)
        p["mismatches"] = tuple(Mismatch(**{k: tuple(v) if isinstance(v, list) else v
                                            for k, v in m.items()}) for m in p["mismatches"])
        p["pattern"] = Pattern(**p["pattern"]) if p["pattern"] else None
        problems.append(CheckResult(**p))
    return SubmissionResult(**{**d, "problems": tuple(problems), "notes": tuple(d["notes"])})


def grade_all(course: Course, items: list[Item], *, jobs: int = 1, out_dir: Path | None = None,
              progress: bool = False, lang: str = "en", dask=None, keep_outputs: bool = True):
    """Yield (item, result) as each submission is graded. With `out_dir`, each result is
    written there at once (atomically), with results.json per student; a rerun reuses the
    results of unchanged files instead of grading them again. With `dask` (an address or a
    Client), the grading runs on that cluster instead of the local pool. Without
    `keep_outputs` the student's arrays are dropped from each result as soon as it is saved,
    so a long batch holds only scores and feedback in memory."""
    records = None
    if out_dir is not None:
        records = Path(out_dir) / "records"
        records.mkdir(parents=True, exist_ok=True)
    todo = []
    for item in items:
        if item.assignment is None:
            yield item, SubmissionResult(str(item.path), "?", error=item.reason)
            continue
        if records is not None:
            done = _load_record(records / _record_name(item), _digest(item.path))
            if done is not None:
                yield item, done
                continue
        todo.append(item)
    if dask is None:
        warm_oracle({i.assignment.id: i.assignment for i in todo}.values())
    bar = None
    if progress and todo:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="sub", file=sys.stderr, dynamic_ncols=True)

    def save(item: Item, result: SubmissionResult, digest: str) -> SubmissionResult:
        if records is not None:
            write_json(records / _record_name(item), {"digest": digest, "result": to_record(result)})
            student_dir = Path(out_dir) / item.student / item.assignment.id
            student_dir.mkdir(parents=True, exist_ok=True)
            write_json(student_dir / "results.json", gradescope(result, lang))
        if not keep_outputs:
            result = replace(result, problems=tuple(replace(p, outputs=None) for p in result.problems))
        return result

    # the content a result belongs to, fixed before grading (a file may change meanwhile)
    digests = {id(item): _digest(item.path) for item in todo}

    def one(item: Item) -> SubmissionResult:
        try:
            result = grade_file(course, item.assignment, item.path)
        except Exception as e:   # a grader bug must not lose the rest of the batch
            result = failed_submission(item.path, item.assignment,
                                       f"internal error while grading: {type(e).__name__}: {e}")
        return save(item, result, digests[id(item)])

    if dask is not None:
        from autograder.cluster import grade_on_cluster
        finished = ((item, save(item, result, digests[id(item)]))
                    for item, result in grade_on_cluster(dask, course, todo))
    else:
        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        futures = {pool.submit(one, item): item for item in todo}
        finished = ((futures[f], f.result()) for f in as_completed(futures))
    try:
        for item, result in finished:
            if bar is not None:
                bar.update(1)
            yield item, result
    finally:
        if dask is None:
            pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()
