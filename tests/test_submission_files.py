"""Submissions are files, not links; student ids never come from a name a student chose;
results stay under --out; a hostile file is that file's error, never the batch's; what a
student wrote reaches no report with its control characters raw. Real files, the real CLI."""
import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest

from autograder import batch
from autograder.cli import Exit, main
from autograder.report import printable
from tests.conftest import ROOT, class_folder

ID = "01_convolution"
EVIL = "\x1b[2J\x1b[31mScore: 13/13\r\x08\u202eevil\u2066"
RAISES = ("\n\ndef conv_output_size(H, W, FH, FW, P, S):\n"
          f"    raise ValueError({EVIL!r})\n")


def grade(capsys, *argv):
    code = main(["--lang", "en", "grade", *map(str, argv), "--no-progress"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_grade(capsys, *argv):
    code, out, err = grade(capsys, *argv, "--format", "json")
    return code, {s["path"]: s for s in json.loads(out)["submissions"]}, err


def test_printable_escapes_controls_and_bidi_and_keeps_text():
    assert printable("a\x1b[2Jb\rc\x08d\x7f\x85\u202ee\u2069f") == \
        "a\\x1b[2Jb\\x0dc\\x08d\\x7f\\x85\\u202ee\\u2069f"
    assert printable("x\ny") == "x\\ny" and printable("x\ny", newlines=True) == "x\ny"
    assert printable("tab\tand 한국어 é") == "tab\tand 한국어 é"


# ------------------------------------------------------------------ links, FIFOs, sizes
def test_a_symlink_given_directly_exits_2_naming_it(tmp_path, reference_source, capsys):
    real = tmp_path / "real.py"
    real.write_text(reference_source)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    code, out, err = grade(capsys, link)
    assert code == Exit.USAGE
    assert err.strip().count("\n") == 0 and str(link) in err and "symbolic link" in err
    assert out == ""


def test_symlinks_in_a_folder_are_refused_and_the_rest_graded(tmp_path, reference_source, capsys):
    instructor = tmp_path / "instructor"
    instructor.mkdir()
    (instructor / f"{ID}.py").write_text(reference_source)
    submitted = class_folder(tmp_path, {"alice": reference_source})
    mallory = submitted / "mallory" / ID
    mallory.mkdir(parents=True)
    (mallory / f"{ID}.py").symlink_to(instructor / f"{ID}.py")     # the file is a link
    (submitted / "eve").symlink_to(instructor, target_is_directory=True)   # a folder is
    code, subs, _ = json_grade(capsys, submitted, "--jobs", "2")
    assert code == Exit.USAGE
    by_name = {os.path.relpath(p, submitted): s for p, s in subs.items()}
    assert by_name[f"alice/{ID}/{ID}.py"]["score"] == 13
    assert "symbolic link" in by_name[f"mallory/{ID}/{ID}.py"]["error"]
    assert by_name[f"mallory/{ID}/{ID}.py"]["score"] == 0
    assert "symbolic link" in by_name["eve"]["error"]
    assert len(subs) == 3


def test_a_fifo_does_not_hang_the_grader(tmp_path, reference_source):
    submitted = class_folder(tmp_path, {"alice": reference_source})
    fifo_dir = submitted / "bob" / ID
    fifo_dir.mkdir(parents=True)
    os.mkfifo(fifo_dir / f"{ID}.py")
    proc = subprocess.run([sys.executable, "-m", "autograder", "--lang", "en", "grade",
                           str(submitted), "--format", "json", "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == Exit.USAGE, proc.stderr[-2000:]
    subs = {os.path.relpath(s["path"], submitted): s for s in json.loads(proc.stdout)["submissions"]}
    assert subs[f"alice/{ID}/{ID}.py"]["score"] == 13
    assert "not a regular file" in subs[f"bob/{ID}/{ID}.py"]["error"]


def test_reading_refuses_links_fifos_and_huge_files_without_blocking(tmp_path):
    from autograder.submission import SubmissionError, read_file, read_submission
    fifo = tmp_path / "f.py"
    os.mkfifo(fifo)
    with pytest.raises(SubmissionError, match="not a regular file"):
        read_file(fifo)                          # O_NONBLOCK: no writer, no hang
    real = tmp_path / "real.py"
    real.write_text("x = 1\n")
    (tmp_path / "link.py").symlink_to(real)
    with pytest.raises(SubmissionError, match="symbolic link"):
        read_submission(tmp_path / "link.py")
    huge = tmp_path / "huge.py"
    with open(huge, "wb") as f:
        f.truncate(21 * 2**20)                   # sparse: no disk used
    with pytest.raises(SubmissionError, match="too large"):
        read_submission(huge)


# ------------------------------------------------------------------ archives
def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members:
            if isinstance(data, zipfile.ZipInfo):
                z.writestr(data, name)
            else:
                z.writestr(name, data)
    return path


def _symlink_member(name, target):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return target, info


def test_zips_are_graded_and_hostile_ones_refused(tmp_path, reference_source, capsys):
    folder = tmp_path / "uploads"
    folder.mkdir()
    _zip(folder / "alice.zip", [("work/solution.py", reference_source),
                                ("notes.txt", "hello")])
    link, info = _symlink_member(f"{ID}.py", "/etc/passwd")
    _zip(folder / "mallory.zip", [(link, info)])
    _zip(folder / "trudy.zip", [("../../escape.py", reference_source)])
    _zip(folder / "oscar.zip", [("/abs.py", reference_source)])
    code, subs, _ = json_grade(capsys, folder, "--out", tmp_path / "out", "--assignment", ID)
    assert code == Exit.USAGE
    by_name = {os.path.relpath(p, folder): s for p, s in subs.items()}
    assert by_name["alice.zip/work/solution.py"]["score"] == 13
    assert "symbolic link" in by_name["mallory.zip"]["error"]
    assert "outside the archive" in by_name["trudy.zip"]["error"]
    assert "outside the archive" in by_name["oscar.zip"]["error"]
    assert json.loads((tmp_path / "out" / "alice" / ID / "results.json").read_text())["score"] == 13
    assert not (tmp_path / "escape.py").exists() and not (folder / "escape.py").exists()


def test_a_zip_bomb_is_refused(tmp_path, capsys):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(3):
            z.writestr(f"{ID}_{i}.py", b"#" * (30 * 2**20))
    code, subs, _ = json_grade(capsys, bomb, "--assignment", ID)
    assert code == Exit.USAGE and "uncompressed" in subs[str(bomb)]["error"]


# ------------------------------------------------------------------ student ids and --out
def test_the_student_is_the_folder_not_the_file_name(tmp_path, reference_source, capsys):
    submitted = tmp_path / "submitted"
    alice = submitted / "alice" / ID
    alice.mkdir(parents=True)
    (alice / "bob.py").write_text(reference_source)             # alice names her file "bob"
    out = tmp_path / "out"
    code, _, _ = grade(capsys, submitted, "--out", out)
    assert code == Exit.OK
    assert json.loads((out / "alice" / ID / "results.json").read_text())["score"] == 13
    assert not (out / "bob").exists()


def test_student_option_cannot_escape_out(tmp_path, reference_source, capsys):
    sub = tmp_path / "in" / "sub.py"
    sub.parent.mkdir()
    sub.write_text(reference_source)
    out = tmp_path / "deep" / "out"
    before = set(tmp_path.rglob("*"))
    code, _, _ = grade(capsys, sub, "--out", out, "--student", "../../x")
    assert code == Exit.OK
    made = {p for p in set(tmp_path.rglob("*")) - before}
    assert made and all(out in p.parents or p == out or p in out.parents for p in made)
    written = list(out.glob("*/*/results.json"))
    assert len(written) == 1 and written[0].parent.parent.parent == out
    assert "/" not in written[0].parent.parent.name and ".." != written[0].parent.parent.name


def test_student_option_takes_one_submission(good_and_bad, capsys):
    code, _, err = grade(capsys, *good_and_bad, "--student", "alice")
    assert code == Exit.USAGE and "--student" in err


def test_a_manifest_names_the_students(good_and_bad, tmp_path, capsys):
    good, bad = good_and_bad
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"path,student\n{good.name},alice\n{bad.name},bob\n")
    out = tmp_path / "out"
    code, _, _ = grade(capsys, good, bad, "--manifest", manifest, "--out", out)
    assert code == Exit.FAILED
    assert json.loads((out / "alice" / ID / "results.json").read_text())["score"] == 13
    assert json.loads((out / "bob" / ID / "results.json").read_text())["score"] < 13
    manifest.write_text(f"{good.name},alice\n")
    code, subs, _ = json_grade(capsys, good, bad, "--manifest", manifest)
    assert code == Exit.USAGE and "not listed in the manifest" in subs[str(bad)]["error"]


@pytest.fixture
def good_and_bad(student_file, reference_source):
    return (student_file("good.py", reference_source),
            student_file("bad.py", reference_source + "\ndef zero_pad(x, P):\n    return x\n"))


def test_two_submissions_for_one_student_are_an_error_for_both(tmp_path, reference_source, capsys):
    submitted = class_folder(tmp_path, {"alice": reference_source})
    bob = submitted / "bob" / ID
    bob.mkdir(parents=True)
    (bob / "first.py").write_text(reference_source)
    (bob / "second.py").write_text(reference_source)
    carol = submitted / "carol" / ID
    carol.mkdir(parents=True)
    (carol / f"{ID}.py").write_text(reference_source)
    (carol / "utils.py").write_text("def helper():\n    return 1\n")   # not her submission
    out = tmp_path / "out"
    code, subs, _ = json_grade(capsys, submitted, "--out", out)
    assert code == Exit.USAGE
    by_name = {os.path.relpath(p, submitted): s for p, s in subs.items()}
    assert set(by_name) == {f"alice/{ID}/{ID}.py", f"bob/{ID}/first.py", f"bob/{ID}/second.py",
                            f"carol/{ID}/{ID}.py"}
    for name in ("first", "second"):
        error = by_name[f"bob/{ID}/{name}.py"]["error"]
        assert "first.py" in error and "second.py" in error and by_name[f"bob/{ID}/{name}.py"]["score"] == 0
    assert by_name[f"carol/{ID}/{ID}.py"]["score"] == by_name[f"alice/{ID}/{ID}.py"]["score"] == 13
    assert not (out / "bob").exists()


def test_safe_names():
    for hostile in ("../../etc", "..", ".", "a/b", "a\\b", "x\x00y", "\x1b[2J", "records",
                    "scores.csv", "\u202eevil", "한" * 200, ""):
        name = batch.safe_name(hostile)
        assert name not in ("", ".", "..", "records", "scores.csv") and not name.startswith(".")
        assert "/" not in name and "\\" not in name and len(name.encode()) <= 120
        assert name == printable(name)
    assert batch.safe_name("carol kim") == "carol kim" and batch.safe_name("제출 파일") == "제출 파일"


# ------------------------------------------------------------------ hostile files
def test_deep_nesting_does_not_stop_a_batch(tmp_path, reference_source, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "alice.py").write_text(reference_source)
    (folder / "bob.py").write_text(reference_source)
    deep = "[" * 100_000 + "]" * 100_000
    (folder / "mallory.ipynb").write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", '
        f'"metadata": {{"x": {deep}}}, "source": {deep}, "outputs": [], "execution_count": null}}]}}')
    (folder / "trudy.py").write_text("x = " + "(" * 100_000 + ")" * 100_000 + "\n")
    code, subs, _ = json_grade(capsys, folder, "--jobs", "2")
    assert code == Exit.USAGE
    by_name = {os.path.relpath(p, folder): s for p, s in subs.items()}
    assert by_name["alice.py"]["score"] == by_name["bob.py"]["score"] == 13
    assert by_name["mallory.ipynb"]["error"] and by_name["trudy.py"]["error"]
    # told an assignment, the deep notebook is read (and refused) as a file of its own
    code, subs, _ = json_grade(capsys, folder / "mallory.ipynb", "--assignment", ID)
    assert code == Exit.USAGE and "nested" in subs[str(folder / "mallory.ipynb")]["error"]


def test_defined_functions_never_raises(tmp_path):
    cases = {"a.ipynb": '{"cells": [{"cell_type": "code", "source": [[["x"]]]}]}',
             "b.ipynb": "[" * 50_000, "c.py": "(" * 50_000, "d.py": "-" * 200_000 + "1",
             "e.ipynb": '{"cells": 5}', "f.ipynb": "\xff\xfe"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="latin-1")
        assert batch._defined_functions(tmp_path / name) == set()


# ------------------------------------------------------------------ escaping
def test_control_characters_are_escaped_in_every_report(tmp_path, reference_source, capsys):
    name = "evil\x1b[2Jname\u202e.py"
    sub = tmp_path / name
    sub.write_text(reference_source + RAISES)
    html, out = tmp_path / "html", tmp_path / "out"
    csv_path, results = tmp_path / "scores.csv", tmp_path / "results.json"
    code, text, _ = grade(capsys, sub, "--assignment", ID, "--html", html, "--out", out,
                          "--csv", csv_path, "--results", results)
    assert code == Exit.FAILED
    code, js, _ = grade(capsys, sub, "--assignment", ID, "--format", "json")
    data = json.loads(js)
    outputs = {"text": text, "json": json.dumps(data, ensure_ascii=False), "csv": csv_path.read_text(),
               "results.json": results.read_text(),
               "html": "".join(p.read_text() for p in html.glob("*.html")),
               "per-student": "".join(p.read_text() for p in out.glob("*/*/results.json"))}
    raw = ("\x1b", "\r", "\x08", "\u202e", "\u2066")
    for kind, shown in outputs.items():
        assert not any(c in shown for c in raw), f"{kind} has raw control characters"
    decoded = json.dumps(data["submissions"][0]["problems"], ensure_ascii=False)
    assert "\\\\x1b[2J" in decoded and "\\\\u202e" in decoded        # escaped, then JSON-encoded
    assert "\\x1b[2J" in text and "\\x1b[31mScore: 13/13\\x0d\\x08\\u202eevil" in text
    assert "\\x1b[2Jname\\u202e" in text
    assert "\\x1b[2J" in outputs["html"] and "\\x1b[2J" in outputs["results.json"]


# ------------------------------------------------------------------ records
@pytest.mark.parametrize("field, value", [
    ("seconds", "1e400"), ("seconds", "NaN"), ("score", '"13"'), ("n_passed", "1e400"),
    ("n_checks", "100000000000000000000000000000000000000000000"), ("status", '"weird"'),
    ("max_abs", '"x"')])
def test_a_corrupted_record_is_graded_again(tmp_path, reference_source, capsys, field, value):
    sub = class_folder(tmp_path, {"alice": reference_source})
    out = tmp_path / "out"
    assert grade(capsys, sub, "--out", out)[0] == Exit.OK
    (record,) = (out / "records").glob("*.json")
    data = json.loads(record.read_text())
    if field == "seconds":
        data["result"]["seconds"] = "@@"
    elif field == "max_abs":
        data["result"]["problems"][0]["mismatches"] = [{
            "output": "o", "case": "c", "dtype": "float64", "device": "cpu", "kind": "values",
            "n_bad": 1, "n": 1, "max_abs": "@@", "max_rel": 0.0, "index": [], "expected_shape": [],
            "actual_shape": [], "detail": ""}]
    else:
        data["result"]["problems"][0][field] = "@@"
    record.write_text(json.dumps(data).replace('"@@"', value))
    assert batch._load_record(record, data["digest"]) is None
    assert batch._load_record(record, data["digest"]) is None
    code, text, _ = grade(capsys, sub, "--out", out)
    assert code == Exit.OK and "13 / 13" in text
    assert batch._load_record(record, data["digest"]) is not None      # rewritten whole


def test_a_sound_record_of_a_wrong_submission_is_reused(tmp_path, reference_source, capsys):
    wrong = "\ndef conv_forward(x, w, b, stride, pad):\n    return np.zeros((1,))\n" \
            "\ndef zero_pad(x, P):\n    return x * 2\n"
    sub = class_folder(tmp_path, {"alice": reference_source + wrong})
    out = tmp_path / "out"
    assert grade(capsys, sub, "--out", out)[0] == Exit.FAILED
    (record,) = (out / "records").glob("*.json")
    data = json.loads(record.read_text())
    loaded = batch._load_record(record, data["digest"])
    assert loaded is not None and loaded == batch.from_record(data["result"])
    assert any(p.pattern or p.diagnosis for p in loaded.problems if p.status != "pass")
    mtime = record.stat().st_mtime_ns
    assert grade(capsys, sub, "--out", out)[0] == Exit.FAILED
    assert record.stat().st_mtime_ns == mtime                          # not graded again
