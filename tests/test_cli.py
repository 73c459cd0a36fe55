"""The command: exit codes (0 passed, 1 failed, 2 usage/input error), results.json in
Gradescope's schema, the stable JSON format, CSV and per-student results."""
import json
import subprocess
import sys

import pytest

from autograder.cli import Exit, main
from tests.conftest import ROOT, class_folder

BROKEN = "\n\ndef conv_forward(x, w, b, stride, pad):\n    return np.zeros((1,))\n"


@pytest.fixture
def good(student_file, reference_source):
    return student_file("good.py", reference_source)


@pytest.fixture
def bad(student_file, reference_source):
    return student_file("bad.py", reference_source + BROKEN)


def test_all_passed_exits_0_and_writes_results_json(good, tmp_path, capsys):
    results = tmp_path / "results.json"
    assert main(["--lang", "en", "grade", str(good), "--results", str(results)]) == Exit.OK
    data = json.loads(results.read_text())
    assert data["score"] == data["max_score"] == 13
    assert {t["name"] for t in data["tests"]} >= {"conv_forward", "conv_backward"}
    assert all({"name", "score", "max_score", "output", "visibility"} <= set(t) for t in data["tests"])
    assert "13 / 13" in capsys.readouterr().out


def test_a_failure_exits_1_and_names_it(bad, tmp_path, capsys):
    results = tmp_path / "results.json"
    assert main(["--lang", "en", "grade", str(bad), "--results", str(results)]) == Exit.FAILED
    tests = {t["name"]: t for t in json.loads(results.read_text())["tests"]}
    assert tests["conv_forward"]["score"] == 0 and "shape" in tests["conv_forward"]["output"]
    assert tests["conv_backward"]["score"] == tests["conv_backward"]["max_score"]


def test_json_format_is_stable(good, bad, capsys):
    assert main(["--lang", "en", "grade", str(good), str(bad), "--format", "json",
                 "--assignment", "01_convolution"]) == Exit.FAILED
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    first = data["submissions"][0]
    assert set(first) == {"path", "assignment", "score", "max_score", "passed", "error",
                          "seconds", "notes", "problems", "unsafe"}
    assert first["unsafe"] is False
    assert set(first["problems"][0]) == {"name", "status", "score", "max_score", "n_passed",
                                         "n_checks", "diagnosis", "feedback", "minimal_case",
                                         "stdout"}
    assert [s["passed"] for s in data["submissions"]] == [True, False]


@pytest.mark.parametrize("argv, message", [
    (["grade", "does/not/exist.py"], "no such file"),
    (["grade", "README.md", "--assignment", "99_nope"], "unknown assignment"),
    (["release", "99_nope"], "unknown assignment"),
])
def test_usage_errors_exit_2_with_one_line(argv, message, capsys):
    assert main(argv) == Exit.USAGE
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_broken_notebook_exits_2(tmp_path, capsys):
    nb = tmp_path / "01_convolution.ipynb"
    nb.write_text("{broken")
    assert main(["--lang", "en", "grade", str(nb)]) == Exit.USAGE
    assert "broken notebook JSON" in capsys.readouterr().out


def test_bad_course_yaml_exits_2(tmp_path, good, capsys):
    bad_course = tmp_path / "course.yaml"
    bad_course.write_text("course: x\nassignments: []\n")
    assert main(["--course", str(bad_course), "grade", str(good)]) == Exit.USAGE
    assert "assignments: must be a non-empty list" in capsys.readouterr().err


def test_a_class_folder_gets_csv_and_results_per_student(tmp_path, reference_source, capsys):
    sub = class_folder(tmp_path, {"alice": reference_source, "bob": reference_source + BROKEN,
                                  "carol kim": reference_source})
    out = tmp_path / "out"
    assert main(["grade", str(sub), "--out", str(out), "--jobs", "2"]) == Exit.FAILED
    rows = (out / "scores.csv").read_text().splitlines()
    assert len(rows) == 4 and rows[0].startswith("student,assignment,score")
    bob = json.loads((out / "bob" / "01_convolution" / "results.json").read_text())
    assert bob["score"] == 10
    assert (out / "carol kim" / "01_convolution" / "results.json").is_file()


def test_console_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", "nope.py"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "no such file" in proc.stderr
