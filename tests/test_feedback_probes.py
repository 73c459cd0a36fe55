"""Issue 11: probes (ungraded calls on designed inputs) say what the code does; the smallest
failing case and what each problem's calls printed reach every report (text, JSON,
results.json, HTML for students). Probes run through check() here (the same explain step as
grading) and through a real sandboxed grade."""
import html
import json

import numpy as np
import pytest

from autograder import check
from autograder.sandbox_worker import MAX_CALL_TEXT
from reference import convolution as conv
from reference import pooling as pool


def _feedback(capsys, name, fn, lang="en"):
    check(name, fn, lang=lang)
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_window_moved_too_far_is_read_off_the_impulses(capsys, lang):
    out = _feedback(capsys, "max_pool_forward",
                    lambda x, PH, PW, s: pool.max_pool_forward(x, PH, PW, 2 * s - 1), lang)
    assert "3x2" in out and "(3i, 3j)" in out and "(2i, 2j)" in out
    assert ("A probe" if lang == "en" else "탐침(probe") in out


def test_a_window_that_does_not_move_with_the_stride_is_said_so(capsys):
    def top_left_block(x, w, b, stride, pad):          # the right shape, windows at (i, j)
        out = conv.conv_forward(x, w, b, 1, pad)
        OH, OW = conv.conv_forward(x, w, b, stride, pad).shape[-2:]
        return out[..., :OH, :OW]
    out = _feedback(capsys, "conv_forward", top_left_block)
    assert "starting at (i, j)" in out and "does not move with the stride" in out


def test_the_output_size_probe_finds_what_ow_depends_on(capsys):
    def ow_with_fh(H, W, FH, FW, P, S):
        return (H + 2 * P - FH) // S + 1, (W + 2 * P - FH) // S + 1
    out = _feedback(capsys, "conv_output_size", ow_with_fh)
    assert "OW depends on FH" in out
    out = _feedback(capsys, "conv_output_size", ow_with_fh, "ko")
    assert "OW이(가) FH에 따라 달라지는데" in out


def test_an_overwritten_max_pool_gradient_is_found_where_windows_overlap(capsys):
    def assigned(dout, x, PH, PW, stride):
        dx = np.zeros_like(x)
        N, C, OH, OW = dout.shape
        for n in range(N):
            for c in range(C):
                for i in range(OH):
                    for j in range(OW):
                        win = x[n, c, i * stride:i * stride + PH, j * stride:j * stride + PW]
                        a, b = np.unravel_index(np.argmax(win), win.shape)
                        dx[n, c, i * stride + a, j * stride + b] = dout[n, c, i, j]
        return dx
    out = _feedback(capsys, "max_pool_backward", assigned)
    assert "overwrites the previous one" in out
    # a correct backward says nothing of the kind
    assert "A probe" not in _feedback(capsys, "max_pool_backward", pool.max_pool_backward)


def test_check_shows_the_smallest_failing_case_from_the_lattice(capsys):
    def no_bias(x, w, b=0.0, stride=1, pad=0):
        return conv.conv2d_single(x, w, 0.0, stride, pad)
    out = _feedback(capsys, "conv2d_single", no_bias)
    lines = out.splitlines()
    i = next(k for k, line in enumerate(lines) if "Smallest failing case" in line)
    setup = [line.strip() for line in lines[i + 1:] if line.strip().startswith(("x =", "w ="))]
    call = next(line.strip() for line in lines[i + 1:] if line.strip().startswith("conv2d_single("))
    namespace = {"np": np}
    for line in setup:
        exec(line, namespace)
    x, w = namespace["x"], namespace["w"]
    assert x.shape[0] <= 3 and x.shape[1] <= 3                     # the first case with a bias
    args = eval(f"(lambda *a: a){call[call.index('('):]}", namespace)
    assert args[2] != 0 and not np.allclose(no_bias(*args), conv.conv2d_single(*args))


PRINTS = '''
def conv_forward(x, w, b, stride, pad):
    print("shapes", x.shape, w.shape, "\\x1b[31mred\\u202e")
    print("x" * 100000)
    return _ref_conv_forward(x, w, b, stride, pad) + 1.0
'''


def test_printed_output_and_the_minimal_case_reach_every_report(course, conv, student_file,
                                                                reference_source, tmp_path):
    """A real sandboxed grade: the calls' printed text is kept per problem, bounded in the child
    and escaped in every report; the smallest failing case is in text, JSON, results.json and
    the students' HTML page."""
    from autograder.grading import grade_file
    from autograder.html_report import render_submission
    from autograder.report import gradescope, render_json, render_text
    source = reference_source.replace("def conv_forward(", "def _ref_conv_forward(") + PRINTS
    result = grade_file(course, conv, student_file("printer.py", source))
    p = next(p for p in result.problems if p.problem == "conv_forward")
    others = [q for q in result.problems if q.problem != "conv_forward"]
    assert p.status == "fail" and all(q.stdout == "" for q in others)
    assert p.stdout.startswith("shapes (") and len(p.stdout) <= MAX_CALL_TEXT
    assert p.minimal and p.minimal["call"].startswith("conv_forward(x, w, b, ")
    text = render_text([result], "en", color=False)
    assert "\\x1b[31mred\\u202e" in text and "\x1b" not in text and "\u202e" not in text
    assert "Your code printed (calls of conv_forward)" in text and p.minimal["call"] in text
    data = json.loads(render_json([result], "en"))["submissions"][0]["problems"]
    mine = next(q for q in data if q["name"] == "conv_forward")
    assert mine["stdout"].startswith("shapes (") and "\x1b" not in mine["stdout"]
    assert mine["minimal_case"]["call"] == p.minimal["call"]
    gs = gradescope(result, "ko")
    test = next(t for t in gs["tests"] if t["name"] == "conv_forward")
    assert p.minimal["call"] in test["output"] and "실패하는 가장 작은 케이스" in test["output"]
    assert test["extra_data"]["minimal_case"]["call"] == p.minimal["call"]
    page = render_submission(result, course, "en", student="alice")
    assert html.escape(p.minimal["call"]) in page and "Your code printed" in page
    from autograder.batch import from_record, to_record          # a resumed batch keeps both
    again = next(q for q in from_record(to_record(result)).problems if q.problem == "conv_forward")
    assert again.minimal == p.minimal and again.stdout == p.stdout


def test_every_new_message_is_in_both_languages():
    from autograder.i18n import MESSAGES
    keys = [k for k in MESSAGES if k.startswith(("minimal.", "feature.", "pattern.probe.", "probe.",
                                                 "stdout.", "graded_failing", "graded_missing"))]
    assert len(keys) >= 24
    for key in keys:
        assert set(MESSAGES[key]) == {"en", "ko"} and MESSAGES[key]["ko"] != MESSAGES[key]["en"], key


HANGS_WHEN_SMALL = '''
import time
def conv_forward(x, w, b, stride, pad):
    if x.size < 20:
        time.sleep(60)                   # only on the explanation's small inputs
    return _ref_conv_forward(x, w, b, stride, pad) + 1.0
'''


def test_an_explanation_that_hangs_costs_its_time_limit_never_the_grade(course, conv, student_file,
                                                                         reference_source):
    """The ungraded calls run after the graded ones, in a session of their own, each under a
    shorter limit: one that hangs ends the explanation of its problem (the smallest case is the
    call that hung, and says so), never the grade."""
    import time
    from autograder.grading import grade_file
    source = reference_source.replace("def conv_forward(", "def _ref_conv_forward(")
    start = time.perf_counter()
    result = grade_file(course, conv, student_file("hangs.py", source + HANGS_WHEN_SMALL))
    assert time.perf_counter() - start < 40
    p = next(p for p in result.problems if p.problem == "conv_forward")
    assert p.status == "fail" and p.n_passed == 0
    assert "time limit" in p.minimal["error"] and p.minimal["n_small"] == 1
    assert p.diagnosis is None and p.pattern is not None          # the diagnosis still stands
    assert all(q.status == "pass" for q in result.problems if q.problem != "conv_forward")


def test_every_lattice_is_small_distinct_and_passed_by_the_reference(course):
    """The small cases: unique names, at most 5x5 spatially and T <= 3, and the reference
    solutions pass every one of them (a correct answer is never shown a 'failing' case)."""
    from autograder import shrink
    from autograder.registry import get
    from autograder.selfcheck import _answer
    from tests.test_feedback_corpus import _small
    import importlib
    modules = {"01_convolution": "convolution", "02_pooling": "pooling", "03_rnn": "rnn",
               "04_lstm": "lstm"}
    for name in shrink.LATTICES:
        problem = get(name)
        lattice = shrink.Lattice(problem, course.public_seed)
        small = lattice.cases[:lattice.n_small]
        assert len(small) >= 5 and all(_small(problem, c.args) for c in small), name
        assert all(len(c.args) and c.name.startswith("small_") for c in small), name
        reference = getattr(importlib.import_module(f"reference.{modules[problem.assignment]}"), name)
        results = _answer(reference, shrink.calls(lattice))
        assert shrink.minimal(lattice, results, course.assignment(problem.assignment).problems[
            [gp.name for gp in course.assignment(problem.assignment).problems].index(name)
        ].tolerance["float64"], []) is None, name
