"""HTML feedback: a wrong conv_forward (no bias), graded by the real grader, rendered with
heatmaps of the student's arrays, and the class overview counting the diagnosed mistake."""
from __future__ import annotations

import re
from dataclasses import replace
from html import escape

import numpy as np
import pytest

from autograder.i18n import t

from autograder import html_report, oracle
from autograder.grading import grade_file, hidden_cases
from autograder.secret import load_secret
from autograder.report import diagnosis_text

NO_BIAS = ("\n_ok = conv_forward\n"
           "def conv_forward(x, w, b, stride, pad):\n"
           "    return _ok(x, w, np.zeros_like(b), stride, pad)\n"
           "def conv2d_single(x, w, b=0.0, stride=1, pad=0):\n"
           "    raise RuntimeError(\"<script>alert('x')</script> & more\")\n")
IMAGE = "data:image/png;base64,"


@pytest.fixture(scope="module")
def graded(course, conv, reference_source, tmp_path_factory):
    """(buggy result, reference result, the buggy conv_forward's arrays per case)."""
    folder = tmp_path_factory.mktemp("subs")
    source = reference_source + NO_BIAS
    (folder / "kim.py").write_text(source, encoding="utf-8")
    (folder / "lee.py").write_text(reference_source, encoding="utf-8")
    buggy = grade_file(course, conv, folder / "kim.py")
    good = grade_file(course, conv, folder / "lee.py")
    namespace = {}
    exec(source, namespace)                   # in-process: fine for our own test code
    arrays = {case.name: (namespace["conv_forward"](*oracle.cast_args(case.args, "float64")),)
              for case in _conv_forward_cases(course, conv, buggy).cases if case.raises is None}
    return buggy, good, {"conv_forward": arrays}


def _conv_forward_cases(course, conv, result) -> oracle.CaseSet:
    """The hidden conv_forward cases the grader drew for `result`'s submission."""
    return hidden_cases(conv, load_secret(course.root), result.digest)["conv_forward"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_submission_page_shows_the_mistake_and_heatmaps(course, graded, tmp_path, lang):
    buggy, good, arrays = graded
    by = {p.problem: p for p in buggy.problems}
    assert by["conv_forward"].diagnosis == "bias_missing"
    paths = html_report.write_reports([buggy], course, tmp_path, lang, {buggy.path: arrays})
    page = paths[0]
    assert page.is_file() and page.suffix == ".html" and (tmp_path / "index.html").is_file()
    assert not list(tmp_path.glob("*.tmp"))
    html = page.read_text(encoding="utf-8")
    assert html.count(IMAGE) >= 3
    assert escape(diagnosis_text("conv_forward", "bias_missing", lang)) in html
    assert t("html.diff", lang) in html
    assert "<script>" not in html and "&lt;script&gt;" in html      # feedback is escaped
    assert 'src="http' not in html and "<link" not in html           # self-contained


def test_no_arrays_no_images(course, graded):
    buggy, _, _ = graded
    html = html_report.render_submission(buggy, course, "en")
    assert IMAGE not in html and "bias is missing" in html


def test_heatmaps_slice_a_4d_map(course, conv, graded):
    buggy, _, arrays = graded
    m = next(m for m in {p.problem: p for p in buggy.problems}["conv_forward"].mismatches
             if m.kind == "values")
    assert len(m.expected_shape) == 4
    maps = html_report.heatmaps(_conv_forward_cases(course, conv, buggy), m,
                                arrays["conv_forward"][m.case], "en")
    assert maps.count(IMAGE) == 3 and f"[{m.index[0]}, {m.index[1]}, :, :]" in maps


def test_overview_counts_the_mistake(graded):
    buggy, good, _ = graded
    results = [buggy, good, replace(buggy, path="park.py")]
    for lang in ("en", "ko"):
        html = html_report.render_overview(results, lang)
        text = escape(diagnosis_text("conv_forward", "bias_missing", lang))
        assert re.search(r'<td class="count">2</td><td>conv_forward</td><td>' + re.escape(text), html)
        assert "1/3" in html or "3개 중 1개" in html                       # conv_forward pass rate
        assert html.count('class="bars"') == len(buggy.problems) + 1       # + the totals


def test_overview_has_a_student_by_problem_table_and_wraps(graded):
    buggy, good, _ = graded
    html = html_report.render_overview([buggy, good], "en",
                                       students={buggy.path: "alice", good.path: "bob"})
    grid = html[html.index('class="grid"'):]
    assert "<td>alice</td>" in grid and "<td>bob</td>" in grid
    assert all(f"<th>{p.problem}</th>" in grid for p in buggy.problems)
    assert f"<td>{buggy.score:.4g} / {buggy.max_score:g}</td>" in grid
    assert "table.results tr>:nth-child(-n+3){white-space:nowrap}" in html   # not the mistakes


def test_page_names_are_safe_and_distinct():
    a, b = html_report.page_name("sub/a b<x>.py"), html_report.page_name("sub_a b<x>.py")
    assert a != b and re.fullmatch(r"[A-Za-z0-9._-]+\.html", a)


def test_heatmaps_of_nan_output(course, conv, graded):
    from autograder.compare import compare
    buggy, _, arrays = graded
    gp, cases = conv.problem("conv_forward"), _conv_forward_cases(course, conv, buggy)
    case, (out,) = next(iter(arrays["conv_forward"].items()))
    bad = out.copy()
    bad[0, 0, 0, 0] = np.nan
    m = compare(bad, cases.expected("float64", "cpu")[case][0],
                gp.tolerance["float64"], output="out", case=case, dtype="float64", device="cpu")
    assert m.kind == "nonfinite"
    assert html_report.heatmaps(cases, m, (bad,), "ko").count(IMAGE) == 3


def test_pages_for_students_are_named_by_id_and_hold_no_hidden_values(tmp_path, reference_source):
    import sys
    from tests.conftest import class_folder
    wrong = "\ndef conv_forward(x, w, b, stride, pad):\n    return np.zeros((1,))\n"
    submitted = class_folder(tmp_path, {"alice": reference_source + wrong, "bob": reference_source})
    out = tmp_path / "pages"
    from autograder.cli import main
    assert main(["grade", str(submitted), "--html", str(out), "--for-students", "--lang", "en",
                 "--jobs", "2"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["alice-01_convolution.html",
                                                     "bob-01_convolution.html"]
    page = (out / "alice-01_convolution.html").read_text()
    assert "alice" in page and str(submitted) not in page and "<img" not in page
    assert "conv_forward" in page and "out[N" not in page      # no hidden case named
    assert main(["grade", str(submitted), "--for-students"]) == 2
