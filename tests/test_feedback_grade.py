"""Issue 11, the grade: cases that show every bug, one acceptance rule for grading and check(),
IPython's own magics rule, causes first, and SciPy where student code runs."""
import json
import re
import types

import numpy as np
import pytest

from autograder import check, oracle, registry
from autograder.grading import grade_file
from autograder.submission import plain_python
from reference import convolution as ref
from tests.conftest import ROOT

SECRET = b"issue-11-tests"


def _conv_source(**replace):
    """The reference convolution module with some functions' bodies replaced."""
    source = (ROOT / "reference" / "convolution.py").read_text(encoding="utf-8")
    return source + "\n\n" + "\n\n".join(replace.values()) + "\n"


def _grade(course, assignment, path):
    return {p.problem: p for p in grade_file(course, course.assignment(assignment), path,
                                              SECRET).problems}


# ---------------------------------------------------------------- cases that show every bug
@pytest.mark.parametrize("hidden", [False, True], ids=["public", "hidden"])
def test_output_size_cases_tell_rows_from_columns(hidden):
    problem = registry.get("conv_output_size")
    rows = [c.args for c in problem.sample_cases(0, hidden) if c.raises is None]
    sizes = [ref.conv_output_size(*row) for row in rows]
    assert any(OH != OW for OH, OW in sizes) and any(H != W for H, W, *_ in rows)
    assert any(FH != FW for _, _, FH, FW, *_ in rows)


def test_public_conv_cases_have_no_padding_and_a_flooring_stride():
    for name in ("conv2d_single", "conv2d_multi", "conv_forward"):
        rows = [c.args for c in registry.get(name).sample_cases(0, False)]
        floors = [(x.shape[-2] + 2 * P - w.shape[-2]) % S or (x.shape[-1] + 2 * P - w.shape[-1]) % S
                  for x, w, _, S, P in rows]
        assert any(P == 0 for *_, P in rows) and any(floors), name


@pytest.mark.parametrize("name", [p.name for p in registry.problems_of("03_rnn")])
def test_every_rnn_function_has_three_public_cases(name):
    assert len(registry.get(name).sample_cases(0, False)) >= 3


# ---------------------------------------------------------------- one acceptance rule
SWAPPED = ("def conv_output_size(H, W, FH, FW, P, S):\n"
           "    OH, OW = _size(H, W, FH, FW, P, S)\n    return OW, OH\n")
SQUARE = ("def conv_output_size(H, W, FH, FW, P, S):\n"
          "    OH, OW = _size(H, W, FH, FW, P, S)\n    return OH, OH\n")
AS_ARRAY = ("def conv_output_size(H, W, FH, FW, P, S):\n"
            "    return np.array(_size(H, W, FH, FW, P, S))\n")
AS_LIST = ("def conv_output_size(H, W, FH, FW, P, S):\n"
           "    return list(_size(H, W, FH, FW, P, S))\n")
SUBCLASS = ("class SizeError(ValueError):\n    pass\n\n\n"
            "def conv_output_size(H, W, FH, FW, P, S):\n"
            "    try:\n        return _size(H, W, FH, FW, P, S)\n"
            "    except ValueError as e:\n        raise SizeError(str(e))\n")
THREE = ("def conv_output_size(H, W, FH, FW, P, S):\n"
         "    return np.array(_size(H, W, FH, FW, P, S) + (1,))\n")
RENAME = "_size = conv_output_size\n"


def _namespace(body):
    ns = {"__name__": "student"}
    exec(_conv_source(rename=RENAME, body=body), ns)
    return ns


@pytest.mark.parametrize("body, full", [(SWAPPED, False), (SQUARE, False), (AS_ARRAY, True),
                                        (AS_LIST, True), (SUBCLASS, True), (THREE, False)],
                         ids=["swapped", "square", "array", "list", "subclass", "three"])
def test_grading_and_check_accept_alike(course, student_file, capsys, body, full):
    path = student_file("s.py", _conv_source(rename=RENAME, body=body))
    graded = _grade(course, "01_convolution", path)["conv_output_size"]
    check("conv_output_size", _namespace(body)["conv_output_size"], lang="en")
    out = capsys.readouterr().out
    assert (graded.status == "pass") == full, graded
    assert ("all" in out.splitlines()[0]) == full, out


def test_a_wrong_count_of_numbers_says_so(course, student_file):
    graded = _grade(course, "01_convolution", student_file("s.py", _conv_source(
        rename=RENAME, body=THREE)))["conv_output_size"]
    assert "returned 3 numbers, expected 2 (OH, OW)" in graded.mismatches[0].detail


def test_check_refuses_a_forbidden_import_with_the_graders_message(capsys):
    ns = {"torch": pytest.importorskip("torch")}
    exec("def zero_pad(x, P):\n    return torch.nn.functional.pad(torch.tensor(x), (P,) * 4).numpy()\n", ns)
    check("zero_pad", ns["zero_pad"], lang="en")
    out = capsys.readouterr().out
    assert "0/" in out and "import of 'torch' is not allowed in this assignment" in out


def test_the_graded_cell_does_not_print_the_check_again(capsys):
    from autograder.notebook import graded
    fn = ref.zero_pad
    check("zero_pad", fn)                         # the course's language, as graded() uses
    first = capsys.readouterr().out
    exec("graded('zero_pad')", {"graded": graded, "zero_pad": fn})
    again = capsys.readouterr().out
    assert len(first.splitlines()) == 1
    assert "the same result as the check above" in again or "위 검사와 같은 결과" in again


# ---------------------------------------------------------------- magics
@pytest.mark.parametrize("source, kept", [
    ("x = (a\n     % b)", True), ("ok = (a\n      != b)", True), ("x = 1 \\\n    % 2", True),
    ('s = """\n%not a magic\n"""', True), ("a != b", True),
    ("%time f()", False), ("!ls", False), ("x = !ls", False), ("def f():\n    %time g()", False),
])
def test_only_what_ipython_runs_as_a_magic_is_neutralised(source, kept):
    out = plain_python(source)
    assert (out == source) == kept, out
    assert out.count("\n") == source.count("\n")
    compile(out.replace("%time g()", "pass"), "<cell>", "exec") if kept else None


def test_a_whitespace_only_line_in_a_cell_with_a_magic_stays_as_it_is():
    """IPython empties such lines; a `pass` indented like them broke the block around them."""
    source = "%time f()\nfor i in range(3):\n    x = i\n        \nprint(x)"
    out = plain_python(source)
    assert out == "pass  # %time f()\nfor i in range(3):\n    x = i\n        \nprint(x)"
    compile(out, "<cell>", "exec")


def test_the_fallback_rule_agrees_without_ipython(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "IPython.core.inputtransformer2", None)
    assert plain_python("x = (a\n     % b)\n!ls\ny = (a\n  != b)") == \
        "x = (a\n     % b)\npass  # !ls\ny = (a\n  != b)"


def test_a_pep8_notebook_keeps_its_continuation_lines(course, tmp_path):
    source = (ROOT / "reference" / "convolution.py").read_text(encoding="utf-8")
    source = source.replace("def conv_output_size", "def _size")
    source += ("\n\ndef conv_output_size(H, W, FH, FW, P, S):\n"
               "    OH, OW = _size(H, W, FH, FW, P, S)\n"
               "    if (OH\n            != OH):\n        raise AssertionError\n"
               "    odd = (OW\n           % 2)\n    return OH, OW\n")
    path = _notebook(tmp_path / "pep8.ipynb", ["%matplotlib inline", source])
    assert all(p.status == "pass" for p in _grade(course, "01_convolution", path).values())


# ---------------------------------------------------------------- causes first
def _notebook(path, cells):
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "source": c, "metadata": {}, "outputs": [], "execution_count": None}
        for c in cells]}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


@pytest.mark.parametrize("broken, words", [
    ("import torch\n", "import of 'torch' is not allowed"),
    ("def oops(:\n", "SyntaxError"),
    ("raise RuntimeError('boom')\n", "RuntimeError: boom"),
])
def test_each_problem_a_broken_cell_leaves_undefined_names_the_cause(course, tmp_path, broken,
                                                                      words):
    from autograder.report import feedback_lines
    source = (ROOT / "reference" / "convolution.py").read_text(encoding="utf-8")
    path = _notebook(tmp_path / "broken.ipynb", ["import numpy as np", broken + source])
    results = _grade(course, "01_convolution", path)
    for name, result in results.items():
        first = feedback_lines(result, "en")[0]
        assert first.startswith(name) and words in first, first
        assert "because the cell that defines it failed to load: cell 1:" in first, first
        assert "정의하는 셀을 불러오지 못해" in feedback_lines(result, "ko")[0]


def test_a_helper_from_a_broken_cell_is_named_with_its_cause(course, tmp_path):
    from autograder.report import feedback_lines
    source = (ROOT / "reference" / "convolution.py").read_text(encoding="utf-8")
    path = _notebook(tmp_path / "helper.ipynb", [
        "import numpy as np\nimport torch\ndef helper(x, P):\n    return x\n",
        source.replace("def zero_pad(x, P):", "def zero_pad(x, P):\n    helper(x, P)")])
    result = _grade(course, "01_convolution", path)["zero_pad"]
    assert "not loaded" in feedback_lines(result, "en")[0] or \
        "not allowed" in " ".join(feedback_lines(result, "en"))


# ---------------------------------------------------------------- SciPy in the sandbox
def test_scipy_expit_scores_full_marks(course, student_file):
    pytest.importorskip("scipy")
    source = (ROOT / "reference" / "lstm.py").read_text(encoding="utf-8")
    source = re.sub(r"def _sigmoid\(a\):.*?\n\n\n", "from scipy.special import expit as _sigmoid\n\n\n",
                    source, count=1, flags=re.S)
    assert "expit" in source
    results = _grade(course, "04_lstm", student_file("expit.py", source))
    assert all(p.status == "pass" for p in results.values()), results
