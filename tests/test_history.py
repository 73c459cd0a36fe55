"""Regrade one student of a graded class (`grade SUBMITTED/ --student ID --out OUT`) and read
their history (`autograder history OUT --student ID`): the other students' rows and records
stay as they were, and the student's gradings say why the grade changed."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from autograder import history
from autograder.cli import Exit, main
from tests.conftest import class_folder

BUG = ("\ndef conv_forward(x, w, b, stride, pad):\n"
       "    N, C, H, W = x.shape\n    F, _, FH, FW = w.shape\n"
       "    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))\n"
       "    OH = (H + 2 * pad - FH) // stride + 1\n    OW = (W + 2 * pad - FW) // stride + 1\n"
       "    out = np.zeros((N, F, OH, OW))\n"
       "    for n in range(N):\n        for f in range(F):\n            for i in range(OH):\n"
       "                for j in range(OW):\n"
       "                    win = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]\n"
       "                    out[n, f, i, j] = np.sum(win * w[f])\n"
       "    return out\n")


def _scores(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def graded(reference_source, tmp_path_factory):
    root = tmp_path_factory.mktemp("hist")
    submitted = class_folder(root, {"alice": reference_source, "bob": reference_source + BUG,
                                    "carol": reference_source})
    out = root / "graded"
    assert main(["grade", str(submitted), "--out", str(out), "--jobs", "2", "--lang", "en"]) \
        == Exit.FAILED
    return submitted, out


def test_regrade_one_student_and_say_why(graded, reference_source, capsys):
    submitted, out = graded
    before = _scores(out / "scores.csv")
    records = {p.name: p.read_bytes() for p in (out / "records").iterdir()}
    assert float(before["bob"]["conv_forward"]) < 3
    capsys.readouterr()
    (submitted / "bob" / "01_convolution" / "01_convolution.py").write_text(reference_source)
    code = main(["grade", str(submitted), "--student", "bob", "--out", str(out), "--lang", "en"])
    assert code == Exit.OK
    text = capsys.readouterr().out
    assert "bob" in text and "alice" not in text.split("bob", 1)[0]
    assert "the code changed" in text and "conv_forward:" in text
    after = _scores(out / "scores.csv")
    assert list(after) == list(before)                     # nobody dropped, same order
    assert after["alice"] == before["alice"] and after["carol"] == before["carol"]
    assert float(after["bob"]["score"]) == 13
    changed = [n for n, data in records.items() if (out / "records" / n).read_bytes() != data]
    assert len(changed) == 1 and "bob" in changed[0]
    lines = history.read(out, "bob")["01_convolution"]
    assert len(lines) == 2 and lines[0]["digest"] != lines[1]["digest"]
    assert lines[0]["problems"]["conv_forward"]["diagnosis"] == "bias_missing"
    assert lines[1]["score"] == 13 and lines[0]["secret_id"] == lines[1]["secret_id"]
    assert len(history.read(out, "alice")["01_convolution"]) == 1
    results = json.loads((out / "bob" / "01_convolution" / "results.json").read_text())
    assert results["score"] == 13


@pytest.mark.parametrize("lang, words", [("en", ("code changed", "gradings")),
                                         ("ko", ("코드가 바뀌었습니다", "채점"))])
def test_history_command(graded, lang, words, capsys):
    _, out = graded
    if len(history.read(out, "bob").get("01_convolution", [])) < 2:
        pytest.skip("needs the regrade above")
    assert main(["history", str(out), "--student", "bob", "--lang", lang]) == Exit.OK
    text = capsys.readouterr().out
    assert all(w in text for w in words)


def test_why_changed_names_each_cause():
    base = {"digest": "a" * 64, "secret_id": "s1", "course_digest": "c1", "score": 10,
            "max_score": 13, "problems": {"conv_forward": {"score": 1.0, "status": "partial"}}}
    same = history.why_changed(base, dict(base), "en")
    assert "the same grade" in " ".join(same)
    secret = history.why_changed(base, {**base, "secret_id": "s2", "score": 11}, "en")
    assert "secret changed" in " ".join(secret) and "code changed" not in " ".join(secret)
    course = history.why_changed(base, {**base, "course_digest": "c2"}, "ko")
    assert "course.yaml" in " ".join(course)
    grader = history.why_changed(base, {**base, "score": 12, "problems": {
        "conv_forward": {"score": 3.0, "status": "pass"}}}, "en")
    assert "grader itself changed" in " ".join(grader) and "conv_forward: 1.0 -> 3.0" in " ".join(grader)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_unknown_student_is_one_line(graded, tmp_path, lang):
    submitted, out = graded

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "autograder", *args, "--lang", lang],
                              capture_output=True, text=True)
        return proc.returncode, proc.stderr.strip()
    code, err = run("grade", str(submitted), "--student", "zed", "--out", str(tmp_path / "o"))
    assert code == 2 and len(err.splitlines()) == 1 and "zed" in err
    assert not (tmp_path / "o" / "records").exists()
    code, err = run("history", str(out), "--student", "zed")
    assert code == 2 and len(err.splitlines()) == 1 and "zed" in err
    code, err = run("history", str(tmp_path / "missing"), "--student", "bob")
    assert code == 2 and len(err.splitlines()) == 1
