"""Ordinary mistakes on the command line: each is one line on stderr and exit 2, found before
anything is graded (the real command, in a subprocess); `| head` ends quietly; --lang and
--course go before or after the subcommand."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.cli import Exit, main
from tests.conftest import ROOT, class_folder

CLI = [sys.executable, "-m", "autograder"]


def run(*argv, timeout=120, python_prelude: str | None = None, **kw):
    if python_prelude is None:
        cmd = CLI + [str(a) for a in argv]
    else:                        # the real main(), after the prelude (e.g. hiding a package)
        cmd = [sys.executable, "-c", f"{python_prelude}\nimport sys\nfrom autograder.cli import "
               f"main\nsys.exit(main({[str(a) for a in argv]!r}))"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, **kw)


def one_line_exit_2(proc, *words):
    assert proc.returncode == Exit.USAGE, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def good(tmp_path, reference_source):
    path = tmp_path / "good.py"
    path.write_text(reference_source)
    return path


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder nobody may write in: as root (who may write anywhere) /proc, else a folder
    with mode 0555."""
    if os.geteuid() == 0:
        return Path("/proc")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


@pytest.mark.parametrize("option", ["--results", "--csv"])
def test_a_file_into_a_missing_or_unwritable_folder(tmp_path, good, option):
    for folder in (tmp_path / "missing", unwritable_folder(tmp_path)):
        proc = run("grade", good, option, folder / "x.out", "--unsafe-no-sandbox")
        line = one_line_exit_2(proc, option, str(folder))
        assert "warning" not in proc.stderr, "checked before the course or the sandbox"
        assert not (tmp_path / "missing").exists(), line


@pytest.mark.parametrize("option", ["--out", "--html"])
def test_a_folder_into_an_unwritable_one_or_below_a_file(tmp_path, good, option):
    afile = tmp_path / "afile"
    afile.write_text("")
    for target in (unwritable_folder(tmp_path) / "graded", afile / "graded"):
        one_line_exit_2(run("grade", good, option, target), option)


def test_release_into_an_unwritable_folder(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("")
    for target in (unwritable_folder(tmp_path) / "course", afile / "course"):
        one_line_exit_2(run("release", "01_convolution", "--to", target), "--to")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_without_a_scheduler_fails_fast(good):
    start = time.monotonic()
    proc = run("grade", good, "--dask", f"tcp://127.0.0.1:{_free_port()}")
    one_line_exit_2(proc, "--dask", "no Dask scheduler")
    assert time.monotonic() - start < 20


def test_dask_without_the_cluster_extra(good):
    proc = run("grade", good, "--dask", "tcp://127.0.0.1:8786",
               python_prelude="import sys; sys.modules['distributed'] = None")
    one_line_exit_2(proc, "--dask", "[cluster]")


def test_output_piped_into_head_ends_quietly(tmp_path, reference_source):
    submitted = class_folder(tmp_path, {f"s{n}": reference_source for n in range(3)})
    results = tmp_path / "scores.csv"
    proc = subprocess.run(f"{sys.executable} -m autograder --lang en grade {submitted} "
                          f"--csv {results} --jobs 2 | head -n 1; exit ${{PIPESTATUS[0]}}",
                          shell=True, executable="/bin/bash", cwd=ROOT, capture_output=True,
                          text=True, timeout=180)
    assert proc.stderr == "", proc.stderr
    assert proc.returncode == Exit.OK
    assert len(proc.stdout.splitlines()) == 1
    assert len(results.read_text().splitlines()) == 4       # written before the printing


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_positive(good, jobs):
    one_line_exit_2(run("grade", good, "--jobs", jobs), "--jobs")


def test_gradebook_that_is_not_a_course_creates_nothing(tmp_path, good):
    target = tmp_path / "typo"
    one_line_exit_2(run("grade", good, "--gradebook", target), "--gradebook")
    assert not target.exists() and list(tmp_path.iterdir()) == [good]
    folder = tmp_path / "empty"
    folder.mkdir()
    one_line_exit_2(run("grade", good, "--gradebook", folder), "gradebook.db")
    assert list(folder.iterdir()) == []


def test_results_for_several_submissions_is_refused_before_grading(tmp_path, reference_source):
    submitted = class_folder(tmp_path, {"a": reference_source, "b": reference_source})
    proc = run("grade", submitted, "--results", tmp_path / "r.json")
    one_line_exit_2(proc, "--results")
    assert proc.stdout == ""


@pytest.mark.parametrize("argv", [
    ["--lang", "en", "grade", "{good}"],
    ["grade", "{good}", "--lang", "en"],
    ["grade", "--lang", "en", "{good}", "--course", "{course}"],
    ["--course", "{course}", "grade", "{good}", "--lang", "en"],
])
def test_lang_and_course_before_or_after_the_subcommand(argv, good, capsys):
    argv = [a.format(good=good, course=ROOT / "course.yaml") for a in argv]
    assert main(argv) == Exit.OK


def test_lang_after_the_subcommand_keeps_the_one_before():
    from autograder.cli import parser
    args = parser().parse_args(["--lang", "en", "--course", "c.yaml", "validate"])
    assert (args.lang, args.course) == ("en", "c.yaml")
    args = parser().parse_args(["--lang", "en", "validate", "--lang", "ko"])
    assert args.lang == "ko"
    for command in (["grade", "x.py"], ["validate"], ["release", "01_convolution"], ["author"],
                    ["secret"], ["demo"], ["gradescope", "01_convolution"], ["check", "x.ipynb"],
                    ["classroom", "01_convolution"]):
        args = parser().parse_args([*command, "--lang", "en", "--course", "c.yaml"])
        assert (args.lang, args.course) == ("en", "c.yaml")


def test_lang_after_grade_is_used(good, capsys):
    main(["grade", str(good), "--lang", "en"])
    english = capsys.readouterr().out
    main(["grade", str(good), "--lang", "ko"])
    korean = capsys.readouterr().out
    assert english != korean


def test_a_usage_mistake_is_one_line():
    proc = run("grade")
    one_line_exit_2(proc, "submissions")
    proc = run("grade", "x.py", "--lang", "fr")
    one_line_exit_2(proc, "--lang")


def test_the_process_ends_at_once_with_its_code_and_cleans_up(tmp_path, reference_source):
    """main() ends the process itself (no slow interpreter teardown): the exit code, all of
    the output, and the exit handlers (an archive's extracted files removed) are kept."""
    import tempfile
    import zipfile
    archive = tmp_path / "sub.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("01_convolution.py", reference_source + "\n\ndef zero_pad(x, P):\n"
                                                           "    return x\n")
    before = set(Path(tempfile.gettempdir()).glob("autograder-zip-*"))
    proc = run("grade", archive, "--student", "ann", "--lang", "en", "--format", "json")
    assert proc.returncode == Exit.FAILED, proc.stderr
    import json
    assert json.loads(proc.stdout)["submissions"][0]["score"] < 13
    assert set(Path(tempfile.gettempdir()).glob("autograder-zip-*")) <= before
