"""Item analysis (`autograder report DIR`) of the synthetic class of 40, graded once in the
sandbox: the pass rates and discrimination indices equal a hand computation from the records,
the mistakes table names the students the class was built with, and the command writes the
CSVs and the HTML overview, or says in one line what is wrong (exit 2)."""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from autograder import batch, item_analysis, oracle
from autograder.cli import Exit, main
from autograder.grading import CheckResult, SubmissionResult
from autograder.compare import Mismatch
from tests.synthetic_class import PROBLEMS, make_class, write_class


@pytest.fixture(scope="module")
def cls():
    return make_class(40)


@pytest.fixture(scope="module")
def graded(cls, tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    out = root / "graded"
    assert main(["grade", str(write_class(cls, root)), "--out", str(out), "--jobs", "2",
                 "--lang", "en"]) == Exit.FAILED
    return out


@pytest.fixture(scope="module")
def rows(graded):
    return batch.read_records(graded)


def test_problem_pass_rates_and_discrimination_by_hand(rows, cls):
    analysis = item_analysis.analyse(rows, "en")
    assert len(rows) == 40 and analysis.excluded == []
    # by hand: rank by total (ties by id), top and bottom 13 of 40, D = p_top - p_bottom
    totals = {s: sum(p.score for p in r.problems) for s, r in rows}
    order = sorted(totals, key=lambda s: (-totals[s], s))
    top, bottom = order[:13], order[-13:]
    assert analysis.top == top and analysis.bottom == bottom
    for item in analysis.problems:
        passed = {s for s, r in rows for p in r.problems if p.problem == item.problem
                  and p.n_passed == p.n_checks}
        assert item.n_pass == len(passed) and item.n == 40
        d = len(passed & set(top)) / 13 - len(passed & set(bottom)) / 13
        assert item.discrimination == pytest.approx(d, abs=1e-4)
        # the class was built so: exactly the students given a mistake there fail it
        assert set(totals) - passed == {s for s in cls.mistakes if item.problem in cls.mistakes[s]}
    backward = next(i for i in analysis.problems if i.problem == "conv_backward")
    assert backward.n_pass == 37 and backward.p_top == 1.0


def test_each_check_by_hand(rows):
    analysis = item_analysis.analyse(rows, "en")
    checks = [i for i in analysis.checks if i.problem == "conv_output_size"]
    # 10 value cases on each device and 5 error cases, integer outputs: float64 only
    assert len(checks) == 10 * len(oracle.devices_present()) + 5
    assert all(i.n == 40 for i in checks)
    for item in checks:
        case = item.check.split(" [")[0]
        failing = {s for s, r in rows for p in r.problems if p.problem == "conv_output_size"
                   for m in p.mismatches if m.case == case}
        assert item.n_pass == 40 - len(failing)
    raises = [i for i in checks if i.check.startswith(("stride0", "negative_pad", "filter_too_big",
                                                        "zero_height", "negative_width"))]
    assert len(raises) == 5 and all(i.revise == "all_pass" for i in raises)
    # every check of every problem adds up to the problem's recorded n_passed
    for s, r in rows:
        for p in r.problems:
            outcome = item_analysis.check_outcomes(p)
            assert outcome is not None and sum(outcome.values()) == p.n_passed


def test_mistakes_name_their_students(rows, cls):
    analysis = item_analysis.analyse(rows, "en")
    by = {(m.problem, m.key): set(m.students) for m in analysis.mistakes if m.kind == "named"}
    expected: dict[tuple[str, str], set[str]] = {}
    for student, mistakes in cls.mistakes.items():
        for problem, diagnosis in mistakes.items():
            if diagnosis:
                expected.setdefault((problem, diagnosis), set()).add(student)
    assert by == expected
    a, b = cls.shared_bug
    described = [m for m in analysis.mistakes if m.problem == "conv_backward" and m.kind == "described"]
    assert [set(m.students) for m in described] == [{a, b}]
    assert [p for p, _ in analysis.failed[a]] == ["conv_backward"]


def _result(name, statuses):
    """A graded result with one check per problem: pass, or a values mismatch."""
    problems = []
    for problem, ok in zip(("p1", "p2"), statuses):
        m = () if ok else (Mismatch("out", "c1", "float64", "cpu", "values", 1, 4, 1.0, 1.0),)
        problems.append(CheckResult(problem, "pass" if ok else "fail", 1.0 if ok else 0.0, 1.0,
                                    int(ok), 1, m))
    return name, SubmissionResult(f"{name}.py", "toy", tuple(problems))


def test_the_formula_on_six_students():
    """Six students; thirds of two. Totals: a 2, b 2, c 1 (p1), d 1 (p2), e 0, f 0.
    p1 passed by a, b, c: rate 1/2, top {a, b} 1, bottom {e, f} 0, D = 1.
    p2 passed by a, b, d: the same numbers. A third problem no one passes would be flagged."""
    rows = [_result("a", (1, 1)), _result("b", (1, 1)), _result("c", (1, 0)),
            _result("d", (0, 1)), _result("e", (0, 0)), _result("f", (0, 0))]
    analysis = item_analysis.analyse(rows, "en")
    assert analysis.top == ["a", "b"] and analysis.bottom == ["e", "f"]
    p1 = analysis.problems[0]
    assert (p1.n_pass, p1.pass_rate, p1.p_top, p1.p_bottom, p1.discrimination) == (3, 0.5, 1.0, 0.0, 1.0)
    assert analysis.revise == []
    flat = rows + [("g", SubmissionResult("g.py", "toy", (), error="g.py: the file is empty"))]
    assert item_analysis.analyse(flat, "en").excluded == ["g"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_writes_csvs_and_the_overview(graded, tmp_path, lang, capsys):
    out = tmp_path / "report"
    assert main(["report", str(graded), "--out", str(out), "--lang", lang]) == Exit.OK
    text = capsys.readouterr().out
    assert "conv_backward" in text and ("변별도" in text if lang == "ko" else "discrimination" in text)
    with open(out / "01_convolution-items.csv", newline="", encoding="utf-8") as f:
        items = list(csv.DictReader(f))
    assert [r["problem"] for r in items[:6]] == list(PROBLEMS)
    assert any(r["revise"] == "all_pass" for r in items)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count("<h2>") >= 2 and ("문항 분석" if lang == "ko" else "Item analysis") in html
    assert ("수정 후보" if lang == "ko" else "Candidates to revise") in html
    assert "s007" in html and html.rstrip().endswith("</html>")


@pytest.mark.parametrize("lang, word", [("en", "no such"), ("ko", "없습니다")])
def test_report_bad_input_is_one_line(tmp_path, graded, lang, word):
    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "autograder", "report", *args, "--lang", lang],
                              capture_output=True, text=True)
        return proc.returncode, proc.stderr.strip()
    code, err = run(str(tmp_path / "missing"))
    assert code == 2 and len(err.splitlines()) == 1 and word in err
    code, err = run(str(tmp_path))                       # a folder without records
    assert code == 2 and len(err.splitlines()) == 1 and str(tmp_path) in err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, err = run(str(graded), "--out", str(blocker / "report"))
    assert code == 2 and len(err.splitlines()) == 1 and "--out" in err
