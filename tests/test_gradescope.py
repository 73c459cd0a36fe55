"""Gradescope end to end: `autograder gradescope ID --out autograder.zip`, unpacked into a
container-like layout (GRADESCOPE_ROOT), its run_autograder on a correct and a wrong
submission, and results.json written even when grading fails."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.course import CourseError, load_course
from autograder.report import gradescope, markdown_block
from tests.conftest import ROOT

BROKEN = "\n\ndef conv_forward(x, w, b, stride, pad):\n    return np.zeros((1,))\n"
POLICY = "\ngradescope:\n  hidden: after_published\n  summary: visible\n  stdout: hidden\n"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """A course with a visibility policy, and its autograder.zip built by the real command."""
    base = tmp_path_factory.mktemp("gradescope")
    course_dir = base / "course"
    course_dir.mkdir()
    (course_dir / "course.yaml").write_text((ROOT / "course.yaml").read_text() + POLICY)
    shutil.copytree(ROOT / "reference", course_dir / "reference")
    out = base / "autograder.zip"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER_SECRET")}
    proc = subprocess.run([sys.executable, "-m", "autograder", "--course",
                           str(course_dir / "course.yaml"), "gradescope", "01_convolution",
                           "--out", str(out), "--lang", "en"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "memory" in proc.stdout                      # 2048 MB > Gradescope's default
    return out


def container(zip_path: Path, root: Path, files: dict[str, str]) -> Path:
    """Gradescope's layout: /autograder/source (the zip), submission/, results/, metadata."""
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(root / "source")
        for info in z.infolist():                     # zipfile drops the modes: put them back
            mode = info.external_attr >> 16
            if mode & 0o111:
                (root / "source" / info.filename).chmod(stat.S_IMODE(mode))
    (root / "submission").mkdir(parents=True)
    for name, text in files.items():
        (root / "submission" / name).write_text(text)
    (root / "submission_metadata.json").write_text(json.dumps(
        {"id": 123, "users": [{"email": "zoe@example.edu", "name": "Zoe", "sid": "2026001"}]}))
    return root


def notebook(source: str) -> str:
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": source.splitlines(True)}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def run_autograder(root: Path) -> tuple[int, dict]:
    env = dict(os.environ, GRADESCOPE_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    env = {k: v for k, v in env.items() if not k.startswith("AUTOGRADER_SECRET")}
    proc = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env,
                          cwd=root, capture_output=True, text=True, timeout=300)
    results = root / "results" / "results.json"
    assert results.is_file(), proc.stdout + proc.stderr
    return proc.returncode, json.loads(results.read_text())


def test_the_zip_has_what_gradescope_runs(package):
    with zipfile.ZipFile(package) as z:
        names = set(z.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
        setup = z.read("setup.sh").decode()
    assert {"setup.sh", "run_autograder", "project/pyproject.toml", "course/course.yaml",
            "course/reference/convolution.py", "course/.autograder-secret"} <= names
    assert "project/autograder/gradescope.py" in names
    assert not any("__pycache__" in n for n in names)
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert modes["course/.autograder-secret"] & 0o077 == 0
    assert "bubblewrap" in setup and "download.pytorch.org/whl/cpu" in setup
    assert "/autograder/source/project" in setup


def test_a_correct_submission(package, tmp_path, reference_source):
    root = container(package, tmp_path / "autograder",
                     {"01_convolution.ipynb": notebook(reference_source), "notes.txt": "hi"})
    code, data = run_autograder(root)
    assert code == 0
    assert data["score"] == data["max_score"] == 13
    assert data["extra_data"]["student"] == "2026001" and data["extra_data"]["digest"]
    graded = [t for t in data["tests"] if "max_score" in t]
    assert len(graded) == 6 and all(t["visibility"] == "after_published" for t in graded)
    assert all(t["output_format"] == "md" and t["tags"][0] == "01_convolution" for t in graded)


def test_a_wrong_submission(package, tmp_path, reference_source):
    root = container(package, tmp_path / "autograder",
                     {"01_convolution.ipynb": notebook(reference_source + BROKEN)})
    code, data = run_autograder(root)
    assert code == 0 and data["score"] == 10
    by_number = {t["number"]: t for t in data["tests"]}
    forward = next(t for t in data["tests"] if t["name"] == "conv_forward")
    summary = by_number[forward["number"].replace(".2", ".1")]
    assert forward["score"] == 0 and forward["visibility"] == "after_published"
    assert summary["visibility"] == "visible" and "score" not in summary
    assert summary["name"].startswith("conv_forward") and summary["output"].startswith("```")
    assert forward["extra_data"]["status"] == "fail" and forward["extra_data"]["worst"]
    assert data["stdout_visibility"] == "hidden"


def test_results_json_is_written_when_grading_fails(package, tmp_path, reference_source):
    root = container(package, tmp_path / "empty", {})
    code, data = run_autograder(root)
    assert data["score"] == 0 and "01_convolution.ipynb" in data["output"]
    broken = container(package, tmp_path / "broken",
                       {"01_convolution.ipynb": notebook(reference_source)})
    (broken / "source" / "course" / "course.yaml").write_text("course: [")
    code, data = run_autograder(broken)
    assert code == 1 and data["score"] == 0 and data["extra_data"]["grading_failed"]
    assert "not your mistake" in data["output"]


def test_a_malformed_policy_is_refused(tmp_path):
    from autograder.gradescope import policy
    (tmp_path / "course.yaml").write_text((ROOT / "course.yaml").read_text() +
                                          "\ngradescope:\n  hidden: later\n")
    shutil.copytree(ROOT / "reference", tmp_path / "reference")
    with pytest.raises(CourseError, match="gradescope.hidden"):
        policy(load_course(tmp_path / "course.yaml"))


def test_markdown_cannot_be_escaped_by_student_text():
    block = markdown_block(["```", "[click](http://evil)", "````x"])
    fence = block.splitlines()[0]
    assert set(fence) == {"`"} and len(fence) == 5 and block.endswith("\n" + fence)
