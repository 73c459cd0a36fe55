"""Shared fixtures: the course, a student-file writer, and one nbgrader course folder per
session (each nbgrader command costs seconds, so it is built once)."""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.course import load_course

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def course():
    return load_course(ROOT / "course.yaml")


@pytest.fixture(scope="session")
def conv(course):
    return course.assignment("01_convolution")


@pytest.fixture(scope="session")
def reference_source(conv):
    return conv.reference.read_text(encoding="utf-8")


@pytest.fixture
def student_file(tmp_path):
    """write(name, source) -> a .py submission in a fresh folder."""
    def write(name: str, source: str) -> Path:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def released(course, tmp_path_factory):
    """Real `nbgrader generate_assignment` of 01_convolution, once per session."""
    from autograder.release import release
    dest = tmp_path_factory.mktemp("nbgrader_course")
    return dest, release(course, course.assignment("01_convolution"), dest)


def class_folder(root: Path, source_by_student: dict[str, str], assignment="01_convolution") -> Path:
    """nbgrader's submitted/STUDENT/ID/ID.py layout under `root`; returns the submitted folder."""
    submitted = root / "submitted"
    for student, source in source_by_student.items():
        folder = submitted / student / assignment
        folder.mkdir(parents=True)
        (folder / f"{assignment}.py").write_text(source, encoding="utf-8")
    return submitted


def exported_scores(course_dir: Path) -> dict[str, float]:
    """`nbgrader export` in a course folder, read back: {student: score}."""
    import csv
    from autograder.release import nbgrader
    nbgrader(course_dir, "export")
    with open(course_dir / "grades.csv", newline="") as f:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}


@pytest.fixture
def course_copy(released, tmp_path):
    """A private copy of the released nbgrader course (gradebook included) for one test."""
    import shutil
    dest, _ = released
    copy = tmp_path / "course"
    shutil.copytree(dest, copy, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    (copy / "nbgrader_config.py").write_text(
        (dest / "nbgrader_config.py").read_text().replace(str(dest), str(copy)))
    return copy
