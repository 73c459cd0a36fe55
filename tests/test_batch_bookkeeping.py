"""Batch bookkeeping: scores.csv has one row per student and assignment (student id, total
rounded once, per-problem scores); a student's extra files are not graded as submissions."""
from __future__ import annotations

import csv
import json

from autograder.cli import Exit, main
from autograder.grading import CheckResult, SubmissionResult
from autograder.report import write_csv
from tests.conftest import class_folder


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_scores_csv_with_extra_files_present(tmp_path, reference_source, capsys):
    submitted = class_folder(tmp_path, {"alice": reference_source, "bob": reference_source,
                                        "carol": reference_source + "\ndef zero_pad(x, P):\n"
                                                                    "    return x\n"})
    (submitted / "alice" / "01_convolution" / "utils.py").write_text("def helper():\n    pass\n")
    (submitted / "bob" / "utils.py").write_text("X = 1\n")             # beside the ID folder
    (submitted / "bob" / "notes.ipynb").write_text(json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    for extra in ([], ["--assignment", "01_convolution"]):
        out = tmp_path / f"out{len(extra)}"
        code = main(["grade", str(submitted), "--out", str(out), "--jobs", "2", *extra])
        assert code == Exit.FAILED, capsys.readouterr()
        table = rows(out / "scores.csv")
        carol = 12 + float(table[2]["zero_pad"])
        assert [(r["student"], r["assignment"], float(r["score"])) for r in table] == [
            ("alice", "01_convolution", 13), ("bob", "01_convolution", 13),
            ("carol", "01_convolution", carol)]
        assert carol < 13 and float(table[2]["conv_backward"]) == 4
        assert all(r["submission"].endswith("01_convolution/01_convolution.py") for r in table)
        for student, score in (("alice", 13), ("bob", 13), ("carol", carol)):
            results = json.loads((out / student / "01_convolution" / "results.json").read_text())
            assert results["score"] == score
        assert sorted(p.name for p in out.iterdir()) == ["alice", "bob", "carol", "records",
                                                          "scores.csv"]


def _problem(name, score, max_score):
    return CheckResult(name, "partial", score, max_score, 1, 3, (), None, None, None, 0.0)


def test_the_total_is_rounded_once(tmp_path):
    thirds = [_problem(f"p{i}", 2 / 3 * 1.00001, 1) for i in range(7)]
    result = SubmissionResult("a.py", "01_convolution", tuple(thirds))
    write_csv(tmp_path / "s.csv", [("ann", result)])
    (row,) = rows(tmp_path / "s.csv")
    assert row["student"] == "ann"
    assert float(row["score"]) == round(sum(p.score for p in thirds), 4)
    assert float(row["score"]) != round(sum(round(p.score, 4) for p in thirds), 4)
    assert row["p0"] == "0.6667"


def test_submission_files_rule_from_course_yaml(tmp_path, course):
    """`submission_files: ["{id}.ipynb"]`: only the notebook named like the assignment is a
    submission; a student whose folder has none gets one line naming the rule."""
    from dataclasses import replace

    from autograder.batch import discover
    strict = replace(course, submission_files=("{id}.ipynb",))
    alice = tmp_path / "submitted" / "alice" / "01_convolution"
    bob = tmp_path / "submitted" / "bob" / "01_convolution"
    for folder in (alice, bob):
        folder.mkdir(parents=True)
    nb = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    (alice / "01_convolution.ipynb").write_text(nb)
    (alice / "01_convolution.py").write_text("X = 1\n")      # by default: a second submission
    (alice / "utils.py").write_text("X = 2\n")
    (bob / "conv.ipynb").write_text(nb)
    default = {(i.student, i.path.name) for i in discover(course, [str(tmp_path / "submitted")])}
    assert ("alice", "01_convolution.py") in default and ("bob", "conv.ipynb") in default
    items = discover(strict, [str(tmp_path / "submitted")])
    graded = [(i.student, i.path.name) for i in items if i.assignment is not None]
    assert graded == [("alice", "01_convolution.ipynb")]
    (refused,) = [i for i in items if i.student == "bob"]
    assert refused.assignment is None and refused.reason == (
        f"{bob / 'conv.ipynb'}: not a submission file (course.yaml submission_files: {{id}}.ipynb)")


def test_submission_files_must_be_patterns(tmp_path):
    import pytest

    from autograder.course import CourseError, load_course
    from tests.conftest import ROOT
    text = (ROOT / "course.yaml").read_text(encoding="utf-8")
    for bad, message in (('["{student}.ipynb"]', "submission_files[0]: {id} (the assignment id) "
                                                  "is the only placeholder"),
                         ('["sub/{id}.ipynb", 3]', "submission_files[0]: must be a file name"),
                         ("[]", "submission_files: must be a non-empty list")):
        path = tmp_path / "course.yaml"
        path.write_text(text.replace("\nassignments:", f"\nsubmission_files: {bad}\nassignments:"),
                        encoding="utf-8")
        (tmp_path / "reference").mkdir(exist_ok=True)
        with pytest.raises(CourseError) as e:
            load_course(path)
        assert message in str(e.value)
