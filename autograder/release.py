"""Release an assignment to students through real nbgrader (`generate_assignment`), into a
course folder that may already be the instructor's own.

What it writes into the course folder, and what it keeps:

- `nbgrader_config.py`: the autograder's settings live in one marked block (`# >>> autograder`
  ... `# <<< autograder`). A config without the block gets the block appended when none of its
  own settings would change (course id, exchange, database); when one would, release refuses
  and shows the difference, unless `force`. Everything outside the block is kept. The block
  imports nothing: nbgrader loads `autograder.nbgrader_plugin.SandboxGrades` by name, and that
  module imports the grader (and torch) only when `nbgrader autograde` runs it.
- No absolute course-folder path: nbgrader's root is the folder it runs in, so a copied course
  folder grades into itself. (course.yaml is named by its absolute path: it lives in the
  instructor's repository, outside the course folder.)
- The notebook's metadata `autograder` (autograder.public_data): its language, the public-case
  settings and the public cases' expected values, so that `check()` in a student's kernel
  needs neither PyTorch nor course.yaml. Public only: the hidden cases are drawn per submission.
- `source/ID/ID.ipynb`: rewritten only when it is what the last release wrote (a hash kept in
  `.autograder/released.json`) or new; an edited one is refused unless `force`. Other files in
  `source/ID` are kept.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.course import Assignment, Course
from autograder.secret import load_secret

BEGIN = "# >>> autograder: written by `autograder release` (edit outside this block)"
END = "# <<< autograder"
PLUGIN = "autograder.nbgrader_plugin.SandboxGrades"
PIPELINE = [PLUGIN, "nbgrader.preprocessors.IgnorePattern",
            "nbconvert.preprocessors.ClearMetadataPreprocessor",
            "nbgrader.preprocessors.LimitOutput", "nbgrader.preprocessors.SaveAutoGrades",
            "nbgrader.preprocessors.AssignLatePenalties", "nbgrader.preprocessors.CheckCellMetadata"]
RECORD = Path(".autograder") / "released.json"


class ReleaseError(Exception):
    """nbgrader failed, or the release would overwrite the instructor's work; the message
    says which and how to proceed."""


def _setting(text: str, name: str) -> str | None:
    """The last literal value a config assigns to `c.NAME` outside our block, or None."""
    outside = _without_block(text)
    found = re.findall(rf"^\s*c\.{re.escape(name)}\s*=\s*(.+?)\s*(?:#.*)?$", outside, re.MULTILINE)
    return found[-1] if found else None


def _without_block(text: str) -> str:
    return re.sub(rf"^{re.escape(BEGIN)}$.*?^{re.escape(END)}$\n?", "", text,
                  flags=re.MULTILINE | re.DOTALL)


def config_block(course: Course, *, course_id: str | None = None, exchange: str | None = None,
                 lang: str | None = None, db_url: str | None = None,
                 theirs: str = "") -> str:
    """Our block of nbgrader_config.py. A setting the rest of the file already makes is left
    to it unless given here (then the caller checks for a conflict)."""
    lines = [BEGIN]
    if course_id is not None or _setting(theirs, "CourseDirectory.course_id") is None:
        lines.append(f"c.CourseDirectory.course_id = {course_id or 'course'!r}")
    if exchange is not None:
        lines.append(f"c.Exchange.root = {exchange!r}")
    if db_url is not None:
        lines.append(f"c.CourseDirectory.db_url = {db_url!r}   # the gradebook "
                     "(default: gradebook.db here)")
    lines.append("# the sandboxed grader replaces nbgrader's Execute step (loaded by name: "
                 "nothing heavy is imported here)")
    lines.append(f"c.Autograde.autograde_preprocessors = {PIPELINE!r}")
    lines.append(f"c.SandboxGrades.course_file = {str(course.root / 'course.yaml')!r}")
    if lang is not None:
        lines.append(f"c.SandboxGrades.lang = {lang!r}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def _conflicts(theirs: str, block: str) -> list[str]:
    """Settings the block would change that the rest of the file makes differently."""
    out = []
    for line in block.splitlines():
        m = re.match(r"c\.([\w.]+) = (.+?)(\s+#.*)?$", line)
        if not m:
            continue
        current = _setting(theirs, m.group(1))
        if current is not None and current != m.group(2):
            out.append(f"c.{m.group(1)}: {current} -> {m.group(2)}")
    return out


def merged_config(path: Path, block: str, force: bool = False) -> str:
    """The new text of the nbgrader_config.py at `path` with our block in it."""
    if not path.exists():
        return "c = get_config()  # noqa: F821 (nbgrader provides it)\n\n" + block
    theirs = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(BEGIN)}$.*?^{re.escape(END)}$\n?",
                         re.MULTILINE | re.DOTALL)
    if pattern.search(theirs):
        new = pattern.sub(lambda _: block, theirs, count=1)
    else:
        new = theirs + ("" if theirs.endswith("\n") or not theirs else "\n") + "\n" + block
    conflicts = _conflicts(theirs, block)
    if "get_config()" not in new.split(BEGIN)[0]:
        new = "c = get_config()  # noqa: F821 (nbgrader provides it)\n" + new
    if conflicts and not force:
        diff = "".join(difflib.unified_diff(theirs.splitlines(True), new.splitlines(True),
                                            str(path), f"{path} (released)"))
        raise ReleaseError(f"{path}: the release would change your settings "
                           f"({'; '.join(conflicts)}); pass --force to write it anyway, or "
                           f"edit the file. The change:\n{diff}")
    return new


def prepare_course_dir(course: Course, dest: Path, db_url: str | None = None, *,
                       course_id: str | None = None, exchange: str | None = None,
                       lang: str | None = None, force: bool = False) -> Path:
    """An nbgrader course folder wired to this course (idempotent; the instructor's own
    settings kept); `db_url` puts its gradebook in a database server (e.g. postgresql://...)."""
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    config = dest / "nbgrader_config.py"
    theirs = config.read_text(encoding="utf-8") if config.exists() else ""
    block = config_block(course, course_id=course_id, exchange=exchange, lang=lang,
                         db_url=db_url, theirs=theirs)
    new = merged_config(config, block, force)
    if new != theirs:
        tmp = config.with_name(config.name + ".tmp")
        tmp.write_text(new, encoding="utf-8")
        tmp.replace(config)
    return dest


def nbgrader(dest: Path, *args: str, timeout: float = 600) -> str:
    """Run one nbgrader command in the course folder; ReleaseError with its output on failure."""
    env = dict(os.environ)     # nbgrader runs `alembic` from PATH: the one beside this Python
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=dest, text=True,
                          capture_output=True, timeout=timeout, env=env)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
        raise ReleaseError(f"nbgrader {' '.join(args)} failed in {dest}:\n" + "\n".join(tail))
    return proc.stdout + proc.stderr


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_source(dest: Path, assignment: Assignment, data: bytes, force: bool) -> None:
    """source/ID/ID.ipynb = data, unless the instructor edited it since the last release."""
    source = dest / "source" / assignment.id
    notebook = source / f"{assignment.id}.ipynb"
    record_path = dest / RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    if not isinstance(record, dict):
        record = {}
    if notebook.exists() and not force:
        current = _digest(notebook.read_bytes())
        if current not in (record.get(assignment.id), _digest(data)):
            raise ReleaseError(f"{notebook}: edited since the last release (or not written by "
                               "`autograder release`); pass --force to replace it, or move "
                               "your edits into the lesson or the reference")
    if force and source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True, exist_ok=True)
    notebook.write_bytes(data)
    record[assignment.id] = _digest(data)
    record_path.parent.mkdir(exist_ok=True)
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def release(course: Course, assignment: Assignment, dest: Path, db_url: str | None = None, *,
            course_id: str | None = None, exchange: str | None = None, lang: str | None = None,
            force: bool = False) -> Path:
    """Source notebook (in `lang`, default the course's) -> nbgrader generate_assignment ->
    the student notebook's path. The course secret is made first where there is none (it
    stays next to course.yaml, outside `dest`: nothing released holds it)."""
    load_secret(course.root, create=True)
    import nbformat                      # only here: nbformat costs seconds to import
    from autograder.authoring import build_notebook
    from autograder.public_data import KEY, notebook_metadata
    nb = build_notebook(course, assignment, lang)
    # its language, the public-case settings and the public answers travel with the notebook
    # (nbgrader keeps notebook metadata): check() then needs neither PyTorch nor the course
    nb.metadata[KEY] = notebook_metadata(course, assignment, lang or course.language)
    data = (nbformat.writes(nb) + "\n").encode("utf-8")
    dest = prepare_course_dir(course, dest, db_url, course_id=course_id, exchange=exchange,
                              lang=lang, force=force)
    _write_source(dest, assignment, data, force)
    nbgrader(dest, "generate_assignment", assignment.id, "--force")
    released = dest / "release" / assignment.id / f"{assignment.id}.ipynb"
    if not released.is_file():
        raise ReleaseError(f"nbgrader reported success but {released} is missing")
    return released
