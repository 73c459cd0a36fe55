"""Release an assignment to students through real nbgrader (`generate_assignment`)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.course import Assignment, Course
from autograder.secret import load_secret

CONFIG = '''# Written by `autograder release`: nbgrader grades through the autograder's sandbox.
c = get_config()
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {root!r}
from autograder.nbgrader_plugin import configure
configure(c, course_file={course_file!r})
'''

DB_URL = "c.CourseDirectory.db_url = {db_url!r}   # the gradebook (default: gradebook.db here)\n"


class ReleaseError(Exception):
    """nbgrader failed; the message carries the end of its output."""


def prepare_course_dir(course: Course, dest: Path, db_url: str | None = None) -> Path:
    """An nbgrader course folder wired to this course (idempotent); `db_url` puts its
    gradebook in a database server (e.g. postgresql://...) instead of SQLite."""
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    config = CONFIG.format(course_id="course", root=str(dest),
                           course_file=str(course.root / "course.yaml"))
    if db_url:
        config += DB_URL.format(db_url=db_url)
    (dest / "nbgrader_config.py").write_text(config, encoding="utf-8")
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


def release(course: Course, assignment: Assignment, dest: Path, db_url: str | None = None) -> Path:
    """Source notebook -> nbgrader generate_assignment -> the student notebook's path. The
    course secret is made first where there is none (it stays next to course.yaml, outside
    `dest`: nothing released holds it)."""
    load_secret(course.root, create=True)
    dest = prepare_course_dir(course, dest, db_url)
    source = dest / "source" / assignment.id
    if source.exists():
        shutil.rmtree(source)
    source.mkdir(parents=True)
    import nbformat                      # only here: nbformat costs seconds to import
    from autograder.authoring import build_notebook
    nbformat.write(build_notebook(course, assignment), str(source / f"{assignment.id}.ipynb"))
    nbgrader(dest, "generate_assignment", assignment.id, "--force")
    released = dest / "release" / assignment.id / f"{assignment.id}.ipynb"
    if not released.is_file():
        raise ReleaseError(f"nbgrader reported success but {released} is missing")
    return released
