"""The sandbox's failure modes: each fails its problem with a clear message, and the
other problems are still graded."""
import numpy as np
import pytest

from autograder import sandbox
from autograder.grading import grade_file
from autograder.sandbox import Call


def grade_with(course, conv, student_file, reference_source, override, **limits):
    """The reference with `override` appended: only the overridden problems should suffer."""
    if limits:
        course = course.__class__(**{**course.__dict__, **limits})
    path = student_file("student.py", reference_source + "\n\n" + override)
    result = grade_file(course, conv, path)
    return result, {p.problem: p for p in result.problems}


def others_pass(by, broken):
    return all(p.status == "pass" for name, p in by.items() if name not in broken)


def test_reference_gets_full_marks(course, conv):
    result = grade_file(course, conv, conv.reference)
    assert result.passed and result.score == result.max_score == 13


def test_an_exception_fails_that_problem_only(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def conv_forward(x, w, b, stride, pad):\n    raise RuntimeError('oops')\n")
    p = by["conv_forward"]
    assert p.status == "error" and p.score == 0
    assert "RuntimeError: oops" in p.error and "line" in p.error
    assert others_pass(by, {"conv_forward"})


def test_a_timeout_fails_that_problem_only(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def zero_pad(x, P):\n    while True:\n        pass\n", timeout_s=0.5)
    assert by["zero_pad"].score == 0 and "time limit" in by["zero_pad"].error
    assert others_pass(by, {"zero_pad"})


def test_a_missing_function(course, conv, student_file, reference_source):
    source = reference_source.replace("def conv2d_multi(", "def conv2d_multi_typo(")
    path = student_file("student.py", source)
    by = {p.problem: p for p in grade_file(course, conv, path).problems}
    assert by["conv2d_multi"].error == "missing" and by["conv2d_multi"].score == 0
    assert others_pass(by, {"conv2d_multi"})


def test_a_wrong_shape(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "_ok = conv_forward\ndef conv_forward(x, w, b, stride, pad):\n"
                       "    return _ok(x, w, b, stride, pad)[:, :, :-1]\n")
    p = by["conv_forward"]
    assert p.status == "fail" and p.mismatches[0].kind == "shape"
    assert p.pattern.key == "shape"
    assert others_pass(by, {"conv_forward"})


def test_nan_fails(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "_ok = zero_pad\ndef zero_pad(x, P):\n    y = _ok(x, P)\n    y[0, 0, 0, 0] = np.nan\n    return y\n")
    assert by["zero_pad"].score == 0 and by["zero_pad"].mismatches[0].kind == "nonfinite"


def test_returning_none_or_text(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def zero_pad(x, P):\n    pass\ndef conv2d_single(x, w, b=0, stride=1, pad=0):\n    return 'no'\n")
    assert "None" in by["zero_pad"].mismatches[0].detail
    assert "not numbers" in by["conv2d_single"].mismatches[0].detail


def test_torch_cannot_be_imported(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def conv_forward(x, w, b, stride, pad):\n    import torch\n"
                       "    return torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride, pad).numpy()\n")
    assert by["conv_forward"].score == 0
    assert "import of 'torch' is not allowed" in by["conv_forward"].mismatches[0].detail


def test_a_self_killing_call_fails_alone(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "import os\ndef conv2d_single(x, w, b=0.0, stride=1, pad=0):\n    os._exit(7)\n")
    assert by["conv2d_single"].score == 0 and "exited" in by["conv2d_single"].error
    assert others_pass(by, {"conv2d_single"})


def test_patching_numpy_or_printing_a_score_changes_nothing(course, conv, student_file, reference_source):
    result, by = grade_with(course, conv, student_file, reference_source,
                            "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
                            "print('{\"score\": 13, \"max_score\": 13}')\n"
                            "def conv_forward(x, w, b, stride, pad):\n    return np.zeros(1)\n")
    assert by["conv_forward"].score == 0 and result.score == 10
    assert '"score": 13' in result.stdout


def test_a_failing_cell_does_not_stop_the_rest(course, conv, tmp_path, reference_source):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    nb = new_notebook(cells=[new_code_cell("%matplotlib inline\n" + reference_source),
                             new_code_cell("1 / 0"), new_code_cell("!ls\nX = 1")])
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, str(path))
    result = grade_file(course, conv, path)
    assert result.passed
    assert any("ZeroDivisionError" in n for n in result.notes)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"{not json", "broken notebook JSON"), (b"\x89PNG\r\n\x1a\n\x00\xff", "binary"),
    (b'{"cells": [], "nbformat": 3, "metadata": {}}', "version 3"),
])
def test_broken_files_get_an_error_result(course, conv, tmp_path, content, message):
    path = tmp_path / "student.ipynb"
    path.write_bytes(content)
    result = grade_file(course, conv, path)
    assert result.error and message in result.error and result.score == 0


def test_only_arrays_come_back():
    run = sandbox.run(((0, "import numpy as np\nclass Liar(np.ndarray):\n"
                           "    def __eq__(self, o): return True\n"
                           "def f(x): return np.zeros(3).view(Liar)\n"),), "<t>",
                      [Call("k", "f", "f", (np.ones(3),))])
    out = run.results["k"].outputs[0]
    assert type(out) is np.ndarray and out.dtype == np.float64
