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
