"""Write sandboxed scores into nbgrader's gradebook (SQLite, or any database URL nbgrader
takes), so that `nbgrader export` and `generate_feedback` see them.

Writers hold a file lock around each transaction, so two graders writing one SQLite
gradebook at once neither corrupt it nor drop a score.
"""
from __future__ import annotations

from pathlib import Path

from filelock import FileLock

from autograder.grading import SubmissionResult


class GradebookError(Exception):
    """The gradebook cannot take these scores; the message says why."""


def check_target(target: str | Path) -> None:
    """GradebookError unless `target` is a database URL or an nbgrader course folder with its
    gradebook.db (or that file itself): a mistyped path creates nothing."""
    target = str(target)
    if "://" in target:
        return
    path = Path(target)
    if path.is_dir():
        if not (path / "gradebook.db").is_file():
            raise GradebookError(f"--gradebook {target}: not an nbgrader course folder (no "
                                 "gradebook.db; release an assignment there with `autograder "
                                 "release` first)")
    elif not (path.is_file() and path.name.endswith(".db")):
        raise GradebookError(f"--gradebook {target}: no such nbgrader course folder or "
                             "gradebook.db (or give a database URL)")


def db_url(target: str | Path) -> str:
    """A database URL, or an nbgrader course folder (its gradebook.db)."""
    target = str(target)
    if "://" in target:
        return target
    path = Path(target)
    return f"sqlite:///{(path / 'gradebook.db' if path.is_dir() else path).resolve()}"


def _lock(url: str):
    if url.startswith("sqlite:///"):
        return FileLock(url[len("sqlite:///"):] + ".lock", timeout=120)
    return FileLock(str(Path.home() / ".autograder-gradebook.lock"), timeout=120)


UNSAFE_COMMENT = "UNSAFE: graded without the sandbox (--unsafe-no-sandbox); not a trusted grade"


def _mark_unsafe(gb, problem: str, assignment: str, student: str, unsafe: bool) -> None:
    """An unsafe grade says so in the gradebook: the auto comment of the problem's solution
    cell (what `nbgrader formgrader` and feedback show); a later safe grade clears it."""
    from nbgrader.api import MissingEntry
    try:
        comment = gb.find_comment(f"solution_{problem}", assignment, assignment, student)
    except MissingEntry:
        return
    if unsafe:
        comment.auto_comment = UNSAFE_COMMENT
    elif comment.auto_comment == UNSAFE_COMMENT:
        comment.auto_comment = None


def record(target, results: list[tuple[str, SubmissionResult]], course_id: str = "course") -> int:
    """Set each graded cell's auto score for (student, result) pairs; returns how many."""
    from nbgrader.api import Gradebook, MissingEntry
    from autograder.nbgrader_plugin import TEST_PREFIX
    check_target(target)
    url = db_url(target)
    written = 0
    with _lock(url), Gradebook(url, course_id=course_id) as gb:
        for student, result in results:
            if result.error:
                continue
            aid = result.assignment
            try:
                gb.find_assignment(aid)
            except MissingEntry:
                raise GradebookError(f"{url}: assignment {aid} is not in the gradebook "
                                     "(release it with `autograder release` first)") from None
            gb.update_or_create_student(student)
            try:
                gb.find_submission(aid, student)
            except MissingEntry:
                gb.add_submission(aid, student)
            for p in result.problems:
                grade = gb.find_grade(TEST_PREFIX + p.problem, aid, aid, student)
                fraction = p.score / p.max_score if p.max_score else 0
                grade.auto_score = round(grade.max_score * fraction, 4)
                _mark_unsafe(gb, p.problem, aid, student, result.unsafe)
                written += 1
            gb.db.commit()
    return written
