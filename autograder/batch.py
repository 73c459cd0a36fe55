"""Grade many submissions: find them, tell their assignment, grade in parallel, and record
each result the moment it is known, so a killed batch resumes without grading twice.

Parallelism: threads in this process drive sandbox children (forked from the NumPy-only
fork server); the children do the student's compute on every core, while the oracle's
expected values of each submission's own hidden cases are computed here, once per submission.
"""
from __future__ import annotations

import ast
import atexit
import csv
import fnmatch
import hashlib
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from autograder import history, oracle
from autograder.course import DEFAULT_SUBMISSION_FILES, Assignment, Course
from autograder.grading import (CheckResult, SubmissionResult, failed_submission, grade_file)
from autograder.compare import Mismatch
from autograder.diagnose import Pattern
from autograder.report import (UNSAFE_CODES, gradescope, printable, render_text, to_dict,
                               write_json)
from autograder.secret import load_secret
from autograder.submission import MAX_BYTES, SUFFIXES, SubmissionError, read_file

SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git", "__MACOSX"}
ARCHIVES = (".zip",)
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024       # an archive, and all its members uncompressed
MAX_ARCHIVE_MEMBERS = 2000
_RESERVED = {"records", "scores.csv"}      # names --out itself uses


UNKNOWN = "cannot tell which assignment this answers (use --assignment)"


class InputError(Exception):
    """A usage or input mistake: the message is one line for the terminal."""


@dataclass(frozen=True)
class Item:
    path: Path
    assignment: Assignment | None      # None: could not be told, or refused (see reason)
    student: str                       # nbgrader's student id, --student, the manifest's, or
                                       # the path under the given folder made safe
    reason: str = ""                   # why the assignment is unknown or the file refused
    label: str = ""                    # the path shown in reports when not `path` (a zip member)

    @property
    def name(self) -> str:
        return self.label or str(self.path)


def safe_name(text: str, limit: int = 120) -> str:
    """`text` as one file name: no folder separators, no control or bidi characters, never
    `.`, `..`, hidden, or a name --out uses itself; at most `limit` bytes of UTF-8 (a long
    name keeps a hash of the whole)."""
    name = "".join("_" if c in "/\\\0\t\n" or ord(c) in UNSAFE_CODES else c for c in str(text))
    name = name.strip()
    if not name or name.startswith(".") or name in _RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > limit:
        tag = hashlib.sha1(str(text).encode("utf-8", "replace")).hexdigest()[:8]
        name = name.encode("utf-8")[:limit - 9].decode("utf-8", "ignore") + "-" + tag
    return name



def _walk(root: Path) -> list[Path]:
    """Submissions under a folder, links never followed: every .ipynb / .py / .zip, and
    every symbolic link among them or among the folders (each refused when identified)."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        for d in list(dirs):
            if d in SKIP_DIRS:
                dirs.remove(d)
            elif os.path.islink(here / d):
                found.append(here / d)         # os.walk does not enter it; it is refused
        found += [here / f for f in files if Path(f).suffix in SUFFIXES + ARCHIVES]
    return sorted(found)


def collect(paths: list[str]) -> list[Path]:
    """Every .ipynb / .py / .zip under the given files and folders, in a stable order; links
    under a folder are listed (to be refused), a link given directly is an input error."""
    return [path for path, _ in _entries(paths)]


def _entries(paths: list[str]) -> list[tuple[Path, Path]]:
    """(file, the folder it was found under) for every given file and folder."""
    found = []
    for raw in paths:
        p = Path(raw)
        if os.path.islink(p) and not p.is_dir():
            raise InputError(f"{printable(p)}: is a symbolic link; grade the file itself")
        if p.is_dir():
            found += [(f, p) for f in _walk(p)]
        elif os.path.lexists(p):
            found.append((p, p.parent))
        else:
            raise InputError(f"{printable(p)}: no such file or folder")
    return found


def _defined_functions(path: Path, data: bytes | None = None) -> set[str]:
    """The functions a file defines, or none if it cannot be read or parsed (a hostile file:
    deep nesting, huge, odd types, not a regular file) -- never an exception."""
    try:
        text = (read_file(path) if data is None else data).decode("utf-8-sig")
        if path.suffix == ".ipynb":
            cells = json.loads(text).get("cells", [])
            text = "\n".join("".join(c.get("source", "")) for c in cells
                             if c.get("cell_type") == "code")
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", text, flags=re.MULTILINE))
        return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    except Exception:                           # RecursionError and MemoryError included
        return set()


def _layout(path: Path, root: Path) -> tuple[str, str | None] | None:
    """(student, assignment folder or None) from nbgrader's submitted/STUDENT/ID/ layout.
    `submitted` is looked for in the given folder's own path (its last one), else in the path
    below it (the first one): folders a student made inside their submission never count."""
    root_parts = Path(os.path.abspath(root)).parts
    try:
        below = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts
    except ValueError:
        return None
    parts = root_parts + below
    mine = len(root_parts) - 1 - root_parts[::-1].index("submitted") if "submitted" in root_parts else None
    if mine is not None and (len(root_parts) - mine <= 3 or "submitted" not in below[:-1]):
        i = mine                              # the folder given is submitted/, a student's, or an ID
    elif "submitted" in below[:-1]:
        i = len(root_parts) + below.index("submitted")
    else:
        return None
    if len(parts) <= i + 2:                   # a file right in submitted/
        return None
    return parts[i + 1], parts[i + 2] if len(parts) > i + 3 else None


def _fallback_student(path: Path, root: Path) -> str:
    """The path under the given folder, without its suffix, made safe (a file given directly:
    its name)."""
    try:
        below = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts
    except ValueError:
        below = (path.name,)
    below = below or (path.name,)
    return safe_name("_".join([*below[:-1], Path(below[-1]).stem]))


def _assignment(course: Course, parts: tuple[str, ...], path: Path, forced, layout_id=None,
                data: bytes | None = None):
    """(assignment, reason): --assignment, else nbgrader's ID folder, else an ID in the path,
    else the assignment whose functions the file defines."""
    if forced is not None:
        return forced, ""
    ids = {a.id: a for a in course.assignments}
    if layout_id in ids:
        return ids[layout_id], ""
    for part in reversed(parts):
        stem = Path(part).stem
        if stem in ids:
            return ids[stem], ""
    defined = _defined_functions(path, data)
    scores = [(len(defined & {p.name for p in a.problems}), a) for a in course.assignments]
    best = max(scores, key=lambda s: s[0], default=(0, None))
    if best[0] and sum(1 for s in scores if s[0] == best[0]) == 1:
        return best[1], ""
    return None, UNKNOWN


def identify(course: Course, path: Path, forced: Assignment | None = None, *,
             root: Path | None = None, student: str | None = None) -> Item:
    """Which assignment a file answers and whose it is. The student: `student` if given, else
    nbgrader's submitted/STUDENT/ID/ layout, else the path below `root` (default: the file's
    folder) made safe. A link or anything but a regular file is refused here."""
    root = path.parent if root is None else root
    layout = _layout(path, root)
    if student is None:
        student = safe_name(layout[0]) if layout else _fallback_student(path, root)
    if os.path.islink(path):
        return Item(path, None, student, f"{path}: is a symbolic link; submissions must be "
                                         "files, not links")
    try:
        regular = stat.S_ISREG(os.lstat(path).st_mode)
    except OSError as e:
        return Item(path, None, student, f"{path}: cannot read ({e.strerror})")
    if not regular:
        return Item(path, None, student, f"{path}: not a regular file")
    assignment, reason = _assignment(course, Path(os.path.abspath(path)).parts, path, forced,
                                     layout[1] if layout else None)
    return Item(path, assignment, student, f"{path}: {reason}" if reason else "")


def _choose(names: list[str], ids, patterns=DEFAULT_SUBMISSION_FILES) -> list[int]:
    """Which of one student's files for one assignment (an nbgrader ID folder, an archive, a
    repository) are the submission: those the first of the course's `submission_files`
    patterns matches (by default: named like the assignment, else the notebooks, else every
    file); more than one for an assignment is an error downstream. None match: none."""
    for pattern in patterns:
        wanted = {pattern.format(id=i) for i in ids}
        chosen = [i for i, n in enumerate(names)
                  if any(fnmatch.fnmatchcase(PurePosixPath(n).name, w) for w in wanted)]
        if chosen:
            return chosen
    return []


_extracted: list[str] = []


@atexit.register
def _remove_extracted() -> None:
    for folder in _extracted:
        shutil.rmtree(folder, ignore_errors=True)


def _archive_members(path: Path, ids, patterns=DEFAULT_SUBMISSION_FILES) -> list[tuple[str, bytes]]:
    """The submission's (member name, bytes) in a .zip; SubmissionError for an archive with a
    link, an absolute or `..` member, or more than MAX_ARCHIVE_BYTES uncompressed."""
    data = read_file(path, MAX_ARCHIVE_BYTES)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as e:
        raise SubmissionError(f"{path}: not a readable zip archive ({type(e).__name__})") from None
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise SubmissionError(f"{path}: more than {MAX_ARCHIVE_MEMBERS} files in the archive")
    wanted, total = [], 0
    for info in infos:
        name = info.filename
        mode = info.external_attr >> 16
        shown = printable(name)
        if stat.S_ISLNK(mode):
            raise SubmissionError(f"{path}: member {shown} is a symbolic link; submissions "
                                  "must be files, not links")
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts:
            raise SubmissionError(f"{path}: member {shown} points outside the archive")
        if info.is_dir() or SKIP_DIRS & set(parts) or PurePosixPath(name).suffix not in SUFFIXES:
            continue
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):     # 0: made without a file type
            raise SubmissionError(f"{path}: member {shown} is not a regular file")
        total += info.file_size
        if total > MAX_ARCHIVE_BYTES:
            raise SubmissionError(f"{path}: over {MAX_ARCHIVE_BYTES // 2**20} MB uncompressed")
        wanted.append(info)
    members = []
    for i in _choose([info.filename for info in wanted], ids, patterns):
        info = wanted[i]
        try:
            with archive.open(info) as f:
                content = f.read(min(MAX_BYTES, MAX_ARCHIVE_BYTES) + 1)
        except Exception as e:                  # encrypted, unknown compression, bad CRC
            raise SubmissionError(f"{path}: member {printable(info.filename)} cannot be read "
                                  f"({type(e).__name__})") from None
        if len(content) > MAX_BYTES:
            raise SubmissionError(f"{path}: member {printable(info.filename)} is over "
                                  f"{MAX_BYTES // 2**20} MB")
        members.append((info.filename, content))
    return members


def _archive_items(course: Course, path: Path, forced, student: str, layout_id) -> list[Item]:
    """One Item per submission in an archive, each extracted to a private temporary file."""
    try:
        members = _archive_members(path, {a.id for a in course.assignments},
                                   course.submission_files)
    except SubmissionError as e:
        return [Item(path, None, student, str(e))]
    if not members:
        return [Item(path, None, student, f"{path}: no .ipynb or .py file in the archive"
                     + _rule_note(course.submission_files))]
    folder = tempfile.mkdtemp(prefix="autograder-zip-")
    _extracted.append(folder)
    items = []
    for n, (name, content) in enumerate(members):
        member = PurePosixPath(name)
        target = Path(folder) / str(n) / (safe_name(member.stem, 80) + member.suffix)
        target.parent.mkdir()
        target.write_bytes(content)
        label = f"{path}/{name}"
        assignment, reason = _assignment(course, (*Path(os.path.abspath(path)).parts, *member.parts),
                                         target, forced, layout_id, content)
        items.append(Item(target, assignment, student, f"{label}: {reason}" if reason else "",
                          label))
    return items


def read_manifest(path: Path | str) -> dict[str, str]:
    """--manifest: a CSV of `path,student` rows (a header row `path,student` is allowed);
    relative paths are relative to the manifest's folder. {real path: student}."""
    path = Path(path)
    try:
        text = read_file(path).decode("utf-8-sig")
    except (SubmissionError, UnicodeDecodeError) as e:
        raise InputError(f"--manifest {printable(path)}: cannot read ({e})") from None
    students: dict[str, str] = {}
    for n, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or not "".join(row).strip() or (n == 1 and row[0].strip().lower() == "path"):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError(f"--manifest {printable(path)}, line {n}: expected `path,student`")
        key = _real(path.parent / row[0].strip())
        student = row[1].strip()
        if students.get(key, student) != student:
            raise InputError(f"--manifest {printable(path)}, line {n}: {printable(row[0])} "
                             "is listed twice with different students")
        students[key] = student
    return students


def _real(path: Path) -> str:
    """A path with its folders resolved but the file itself not followed."""
    path = Path(os.path.abspath(path))
    return str(Path(os.path.realpath(path.parent)) / path.name)


def _is_repo(folder: Path) -> bool:
    return os.path.isdir(folder) and not os.path.islink(folder) and \
        os.path.lexists(folder / ".git")


def classroom_logins(root: Path) -> dict[str, str]:
    """GitHub Classroom's layout (`gh classroom clone student-repos`, or the assignment's
    repository export): a folder of cloned student repositories named ASSIGNMENT-LOGIN.
    {repository folder name: student login}, or {} where `root` is not such a folder. The
    prefix is the `-submissions` folder's slug (what `gh classroom clone` makes), else what
    every repository's name has in common up to a `-`."""
    try:
        repos = sorted(d.name for d in Path(root).iterdir() if _is_repo(d))
    except OSError:
        return {}
    if not repos:
        return {}
    name = Path(os.path.abspath(root)).name
    prefix = ""
    if name.endswith("-submissions") and all(r.startswith(name[:-len("submissions")])
                                             for r in repos):
        prefix = name[:-len("submissions")]
    elif len(repos) > 1:
        common = os.path.commonprefix(repos)
        prefix = common[:common.rfind("-") + 1]
    return {r: (r[len(prefix):] or r) for r in repos}


def _classroom_entries(entries: list[tuple[Path, Path]], ids,
                       patterns=DEFAULT_SUBMISSION_FILES) -> tuple[list, dict[int, str]]:
    """In a folder of cloned student repositories: only each repository's submission (the
    file named like an assignment, else its single notebook, else its single file: a
    template's tests and a student's helpers are not submissions), with the login as the
    student id. (kept entries, {id(entry): login})."""
    logins_of: dict[str, dict[str, str]] = {}
    by_repo: dict[tuple[str, str], list] = {}
    rest = []
    for e in entries:
        path, root = e
        key = os.path.abspath(root)
        if key not in logins_of:
            logins_of[key] = classroom_logins(root)
        logins = logins_of[key]
        below = Path(os.path.abspath(path)).relative_to(key).parts if logins else ()
        if len(below) > 1 and below[0] in logins:
            by_repo.setdefault((key, below[0]), []).append(e)
        else:
            rest.append(e)
    kept, students = list(rest), {}
    for (key, repo), group in by_repo.items():
        chosen = _choose([e[0].name for e in group], ids, patterns)
        notebooks = [i for i in chosen if group[i][0].suffix == ".ipynb"]
        for i in (notebooks or chosen):
            kept.append(group[i])
            students[id(group[i])] = logins_of[key][repo]
    order = {id(e): n for n, e in enumerate(entries)}
    return sorted(kept, key=lambda e: order[id(e)]), students


def discover(course: Course, paths: list[str], forced: Assignment | None = None, *,
             student: str | None = None, manifest: Path | str | None = None) -> list[Item]:
    """Every submission under `paths` as Items, ready for grade_all. Student ids come from
    `student` (one submission), else the `manifest`, else nbgrader's submitted/STUDENT/ID/
    layout, else the path below the given folder made safe -- never from a name inside a
    student's own submission. In an nbgrader ID folder (and in an archive) only the notebook
    named like the assignment, else the single notebook, else the single file is the
    submission. Links, FIFOs and other non-files become refused Items."""
    entries = _entries(paths)
    ids = {forced.id} if forced is not None else {a.id for a in course.assignments}
    entries, logins = _classroom_entries(entries, ids, course.submission_files)
    layouts = {id(e): _layout(*e) for e in entries}
    groups: dict[tuple[str, str], list] = {}
    for e in entries:
        layout = layouts[id(e)]
        if layout and layout[1] is not None:
            groups.setdefault(layout, []).append(e)
    dropped, unmatched = set(), set()
    for (_, aid), group in groups.items():
        keep = set(_choose([e[0].name for e in group], {aid}, course.submission_files))
        dropped |= {id(e) for i, e in enumerate(group) if i not in keep and keep}
        unmatched |= {id(e) for e in group if not keep}
    entries = [e for e in entries if id(e) not in dropped]
    if student is not None and len(entries) > 1:
        raise InputError("--student names the student of one submission; for several, use "
                         "--manifest or nbgrader's submitted/STUDENT/ID/ layout")
    listed = read_manifest(manifest) if manifest is not None else None
    items = []
    for e in entries:
        path, root = e
        layout = layouts[id(e)]
        if id(e) in unmatched:
            items.append(Item(path, None, safe_name(layout[0]), f"{path}: not a submission file"
                              + _rule_note(course.submission_files)))
            continue
        if student is not None:
            sid = safe_name(student)
        elif listed is not None:
            if _real(path) not in listed:
                items.append(Item(path, None, _fallback_student(path, root),
                                  f"{path}: not listed in the manifest"))
                continue
            sid = safe_name(listed[_real(path)])
        elif id(e) in logins:
            sid = safe_name(logins[id(e)])
        elif layout:
            sid = safe_name(layout[0])
        else:
            sid = _fallback_student(path, root)
        if path.suffix in ARCHIVES and not os.path.islink(path):
            items += _archive_items(course, path, forced, sid, layout[1] if layout else None)
        else:
            items.append(identify(course, path, forced, root=root, student=sid))
    direct = {os.path.abspath(raw) for raw in paths if not os.path.isdir(raw)}
    return _only_submissions(items, direct, course.submission_files)


def _rule_note(patterns: tuple[str, ...]) -> str:
    """Why a file was not taken, when the course narrowed which files are submissions."""
    if patterns == DEFAULT_SUBMISSION_FILES:
        return ""
    return f" (course.yaml submission_files: {', '.join(patterns)})"


def _only_submissions(items: list[Item], direct: set[str],
                      patterns=DEFAULT_SUBMISSION_FILES) -> list[Item]:
    """One submission per student and assignment among the files found in folders: a file
    whose assignment cannot be told, beside that student's submission, is a helper (not
    graded, not an error); of several files for one assignment, those the course's
    `submission_files` patterns pick (more than one stays, an error for each; none: each is
    refused). Files named on the command line, archives' members and refused files are left
    as they are."""
    by_student: dict[str, list[Item]] = {}
    for item in items:
        if not item.label and os.path.abspath(item.path) not in direct:
            by_student.setdefault(item.student, []).append(item)
    dropped: set[int] = set()
    refused: dict[int, str] = {}
    for group in by_student.values():
        graded = [i for i in group if i.assignment is not None]
        if not graded:
            continue
        dropped |= {id(i) for i in group if i.assignment is None and i.reason.endswith(UNKNOWN)}
        by_assignment: dict[str, list[Item]] = {}
        for i in graded:
            by_assignment.setdefault(i.assignment.id, []).append(i)
        for aid, same in by_assignment.items():
            keep = _choose([i.path.name for i in same], {aid}, patterns)
            if not keep:
                refused.update({id(i): f"{i.path}: not a submission file" + _rule_note(patterns)
                                for i in same})
            elif len(same) > 1 and len(keep) == 1:
                dropped |= {id(i) for n, i in enumerate(same) if n not in keep}
    return [replace(i, assignment=None, reason=refused[id(i)]) if id(i) in refused else i
            for i in items if id(i) not in dropped]


def warm_oracle(assignments, public_seed: int = 0) -> None:
    """Pay torch's first-call costs before the threads start: each problem's oracle once,
    on its public cases (hidden cases differ per submission and are computed as graded)."""
    oracle.use_one_thread()
    for a in assignments:
        for gp in a.problems:
            for device in oracle.devices_present(gp.devices):
                oracle.public_cases(gp.problem, public_seed).expected("float64", device)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(read_file(path)).hexdigest()
    except SubmissionError:
        return ""


def _record_name(item: Item) -> str:
    safe = re.sub(r"[^\w.-]+", "_", item.name)
    tag = hashlib.sha1(item.name.encode("utf-8", "replace")).hexdigest()[:8]
    return f"{safe.strip('_')[:150]}-{tag}.json"


def _load_record(path: Path, digest: str) -> SubmissionResult | None:
    """A saved result of this exact content, or None (then it is graded again): a missing,
    torn, tampered or malformed record (bad numbers, wrong types), and a result that was an
    internal error rather than the student's, are never reused."""
    try:
        data = json.loads(read_file(path, MAX_BYTES))
        if not digest or not isinstance(data, dict) or data.get("digest") != digest:
            return None
        result = from_record(data["result"])
        if is_internal(result) or result.unsafe:      # never reused as a trusted grade
            return None
        to_dict(result), render_text([result], color=False)   # every report can show it
        gradescope(result)
        return result
    except Exception:                           # RecursionError, OverflowError included
        return None


def is_internal(result: SubmissionResult) -> bool:
    """The grader failed, not the student: such a result is shown but never recorded."""
    return bool(result.error) and result.error.startswith("internal error")


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


def _of(value, kind, name: str, optional: bool = False):
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ValueError(f"record: {name} is not {getattr(kind, '__name__', kind)}")
    return value


def _number(value, name: str, finite: bool = True) -> float:
    """A float from a record; a string, a bool, an int too large for a float, and (where
    `finite`) NaN, inf and absurd magnitudes are ValueErrors."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"record: {name} is not a number")
    if finite and not -1e12 <= value <= 1e12:
        raise ValueError(f"record: {name} is out of range")
    return float(value)                   # OverflowError (a ValueError's cousin) for 10**400


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**9:
        raise ValueError(f"record: {name} is not a count")
    return value


def _ints(value, name: str) -> tuple[int, ...]:
    return tuple(_count(v, name) for v in _of(value, list, name)[:64])


def _param(value, name: str, depth: int = 0) -> None:
    """A pattern parameter from a record: a word or a number, or a list (at most 10,000) or a
    mapping (at most 100 keys, word keys) of them, nested at most 3 deep; else ValueError."""
    if depth > 3:
        raise ValueError(f"record: {name} is nested too deep")
    if isinstance(value, str):
        return
    if isinstance(value, list):
        if len(value) > 10_000:
            raise ValueError(f"record: {name} is too long")
        for x in value:
            _param(x, name, depth + 1)
    elif isinstance(value, dict):
        if len(value) > 100 or not all(isinstance(k, str) for k in value):
            raise ValueError(f"record: {name} is not a small mapping of words")
        for k, x in value.items():
            _param(x, k, depth + 1)
    else:
        _number(value, name, finite=False)


def _minimal(value) -> dict | None:
    """The smallest failing case of a record (autograder.shrink.minimal: words and numbers)."""
    if value is None:
        return None
    _of(value, dict, "minimal")
    _param(value, "minimal")
    return value


def from_record(d: dict) -> SubmissionResult:
    """A result from its JSON record, every field checked (type and range): a malformed
    record raises ValueError / TypeError / KeyError / OverflowError, never a later report."""
    _of(d, dict, "result")
    problems = []
    for p in _of(d["problems"], list, "problems"):
        _of(p, dict, "problem")
        mismatches = []
        for m in _of(p["mismatches"], list, "mismatches"):
            _of(m, dict, "mismatch")
            mismatches.append(Mismatch(
                **{k: _of(m[k], str, k) for k in ("output", "case", "dtype", "device", "kind")},
                n_bad=_count(m["n_bad"], "n_bad"), n=_count(m["n"], "n"),
                max_abs=_number(m["max_abs"], "max_abs", finite=False),
                max_rel=_number(m["max_rel"], "max_rel", finite=False),
                index=_ints(m["index"], "index"),
                expected_shape=_ints(m["expected_shape"], "expected_shape"),
                actual_shape=_ints(m["actual_shape"], "actual_shape"),
                detail=_of(m["detail"], str, "detail")))
        pattern = _of(p["pattern"], dict, "pattern", optional=True)
        if pattern is not None:
            params = _of(pattern["params"], dict, "params")
            for k, v in params.items():           # words, numbers, shapes, lists, nested
                _param(v, k)
            pattern = Pattern(_of(pattern["key"], str, "pattern key"), params)
        status = _of(p["status"], str, "status")
        if status not in ("pass", "partial", "fail", "error"):
            raise ValueError(f"record: unknown status {status!r}")
        problems.append(CheckResult(
            _of(p["problem"], str, "problem"), status, _number(p["score"], "score"),
            _number(p["max_score"], "max_score"), _count(p["n_passed"], "n_passed"),
            _count(p["n_checks"], "n_checks"), tuple(mismatches),
            _of(p["diagnosis"], str, "diagnosis", optional=True), pattern,
            _of(p["error"], str, "error", optional=True), _number(p["seconds"], "seconds"),
            minimal=_minimal(p.get("minimal")), stdout=_of(p.get("stdout", ""), str, "stdout"),
            output_digest=_of(p.get("output_digest"), str, "output_digest", optional=True)))
    return SubmissionResult(
        _of(d["path"], str, "path"), _of(d["assignment"], str, "assignment"), tuple(problems),
        _of(d["error"], str, "error", optional=True),
        tuple(_of(n, str, "note") for n in _of(d["notes"], list, "notes")),
        _of(d.get("stdout", ""), str, "stdout"), _number(d["seconds"], "seconds"),
        digest=_of(d.get("digest", ""), str, "digest"))


def read_records(out_dir: Path | str) -> list[tuple[str, SubmissionResult]]:
    """(student, result) of every record under `out_dir`/records (what `grade --out` wrote),
    the newest per student and assignment; a torn or foreign file is skipped. A record made
    before records named their student is matched to scores.csv's row by its path."""
    folder = Path(out_dir) / "records"
    by_path = {}
    try:
        with open(Path(out_dir) / "scores.csv", newline="", encoding="utf-8") as f:
            by_path = {row.get("submission", ""): row.get("student", "") for row in csv.DictReader(f)}
    except (OSError, csv.Error, UnicodeDecodeError):
        pass
    newest: dict[tuple[str, str], tuple[float, str, SubmissionResult]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(read_file(path, MAX_BYTES))
            result = from_record(data["result"])
            mtime = path.stat().st_mtime
        except Exception:                       # RecursionError, OverflowError included
            continue
        student = data.get("student")
        if not isinstance(student, str) or not student:
            student = by_path.get(printable(result.path)) or result.path
        key = (student, result.assignment)
        if key not in newest or mtime >= newest[key][0]:
            newest[key] = (mtime, student, result)
    return [(student, result) for _, student, result in sorted(newest.values(),
                                                               key=lambda v: (v[1], v[2].assignment))]


def _duplicates(items: list[Item]) -> dict[int, str]:
    """Items that map to one (student, assignment): each one's error, naming all of them."""
    by_key: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        if item.assignment is not None:
            by_key.setdefault((safe_name(item.student), item.assignment.id), []).append(item)
    errors = {}
    for (student, aid), group in by_key.items():
        if len(group) > 1:
            names = " and ".join(printable(i.name) for i in group)
            for item in group:
                errors[id(item)] = (f"{printable(item.name)}: {len(group)} submissions for student "
                                    f"{printable(student)}, assignment {aid} ({names}); keep one, "
                                    "or name the students with --manifest")
    return errors


def student_folder(out_dir: Path, item: Item) -> Path:
    """OUT/STUDENT/ID, with the student id made one safe name: never outside OUT."""
    out = Path(out_dir)
    folder = out / safe_name(item.student) / safe_name(item.assignment.id)
    if os.path.abspath(folder.parent.parent) != os.path.abspath(out):
        raise InputError(f"{printable(item.student)}: not a usable student id")
    return folder


def results_policy(course: Course) -> dict | None:
    """course.yaml's Gradescope visibility policy for results.json (None: the defaults)."""
    from autograder.gradescope import policy
    try:
        return policy(course)
    except OSError:
        return None


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
    duplicates = _duplicates(items)
    for item in items:
        if item.assignment is None:
            yield item, SubmissionResult(item.name, "?", error=item.reason or
                                         f"{item.name}: cannot tell which assignment this answers")
            continue
        if id(item) in duplicates:
            yield item, failed_submission(item.name, item.assignment, duplicates[id(item)])
            continue
        if records is not None:
            done = _load_record(records / _record_name(item), _digest(item.path))
            if done is not None:
                yield item, done
                continue
        todo.append(item)
    # read once, before any grading: a missing or malformed secret stops the batch here
    secret = load_secret(course.root, create=True) if todo else None
    rules = results_policy(course)
    if dask is None and len(todo) > 1:      # one submission: its own first calls pay, once
        warm_oracle({i.assignment.id: i.assignment for i in todo}.values(), course.public_seed)
    else:
        oracle.use_one_thread()
    bar = None
    if progress and todo:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="sub", file=sys.stderr, dynamic_ncols=True)

    grading = history.grading_context(course, secret) if records is not None and todo else {}

    def save(item: Item, result: SubmissionResult, digest: str) -> SubmissionResult:
        if item.label:                       # an archive's member: shown as archive/member
            result = replace(result, path=item.label)
        if records is not None and not is_internal(result):   # a rerun grades it again
            write_json(records / _record_name(item), {"digest": digest, "student": item.student,
                                                      "result": to_record(result)})
            student_dir = student_folder(out_dir, item)
            student_dir.mkdir(parents=True, exist_ok=True)
            write_json(student_dir / "results.json", gradescope(result, lang, rules))
            history.append(student_dir, history.entry(result, item.path, grading))
        if not keep_outputs:
            result = replace(result, problems=tuple(replace(p, outputs=None) for p in result.problems))
        return result

    # the content a result belongs to, fixed before grading (a file may change meanwhile)
    digests = {id(item): _digest(item.path) for item in todo}

    def one(item: Item) -> SubmissionResult:
        try:
            result = grade_file(course, item.assignment, item.path, secret)
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
