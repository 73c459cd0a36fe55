"""06_sequences through the real grader: a list of gradient arrays and integer and boolean
arrays (tokens, targets, masks) reach the student's function in the sandbox as they are; the
released notebook's paste cell and picture cell leave grading alone (the sandbox has no
matplotlib), while in a real Jupyter kernel the picture is drawn."""
import nbformat
import numpy as np
import pytest

from autograder import sandbox
from autograder.grading import grade_file
from autograder.sandbox import Call


@pytest.fixture(scope="module")
def seq(course):
    return course.assignment("06_sequences")


def test_lists_and_integer_arrays_reach_the_function_as_they_are():
    source = ("import numpy as np\n"
              "def f(grads, tokens, mask, k):\n"
              "    assert isinstance(grads, list) and len(grads) == 2, type(grads)\n"
              "    assert tokens.dtype == np.int64 and mask.dtype == bool, (tokens.dtype, mask.dtype)\n"
              "    grads[0] *= 2                       # the call's own copy\n"
              "    return [grads[0], grads[1] + tokens.sum() + mask.sum() + k]\n")
    grads = [np.arange(6.0).reshape(2, 3), np.ones(4, dtype=np.float32)]
    tokens, mask = np.array([[3, 1], [1, 2]], dtype=np.int64), np.array([True, False, True])
    run = sandbox.run(((0, source),), "<t>", [Call("k", "f", "f", (grads, tokens, mask, 5), 2)])
    result = run.results["k"]
    assert result.error is None, result.error
    np.testing.assert_array_equal(result.outputs[0], 2 * grads[0])
    np.testing.assert_array_equal(result.outputs[1], np.full(4, 1 + 7 + 2 + 5))
    assert grads[0][0, 1] == 1.0                           # the grader's arrays are untouched


def test_reference_gets_full_marks_and_a_list_in_place_is_accepted(course, seq, student_file):
    reference = seq.reference.read_text(encoding="utf-8")
    result = grade_file(course, seq, seq.reference)
    assert result.passed and result.score == result.max_score == 23, result
    in_place = ("\n\ndef clip_gradients(grads, max_norm):\n"
                "    total = np.sqrt(sum((g ** 2).sum() for g in grads))\n"
                "    for g in grads:\n"
                "        g *= min(1.0, max_norm / (total + 1e-6))\n"
                "    return grads\n")
    result = grade_file(course, seq, student_file("in_place.py", reference + in_place))
    assert result.passed, [p for p in result.problems if p.status != "pass"]


def test_returning_the_wrong_number_of_arrays_is_a_clear_error(course, seq, student_file):
    reference = seq.reference.read_text(encoding="utf-8")
    short = "\n\ndef clip_gradients(grads, max_norm):\n    return grads[:2]\n"
    result = grade_file(course, seq, student_file("short.py", reference + short))
    clip = next(p for p in result.problems if p.problem == "clip_gradients")
    assert clip.status == "error" and "expected a tuple of 3 arrays" in clip.error
    assert all(p.status == "pass" for p in result.problems if p.problem != "clip_gradients")


@pytest.fixture(scope="module")
def released_06(course, seq, tmp_path_factory):
    from autograder.release import release
    return release(course, seq, tmp_path_factory.mktemp("nbgrader_06"))


def _plain_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata]


@pytest.mark.nbgrader
def test_released_notebook_keeps_the_paste_and_picture_cells(released_06):
    nb = nbformat.read(str(released_06), as_version=4)
    plain = _plain_cells(nb)
    assert any("rnn_step_backward" in c.source and "lstm_step_backward" in c.source
               for c in plain)                                         # where to paste 03 / 04
    picture = [c for c in plain if "matplotlib" in c.source]
    assert len(picture) == 1 and "except ImportError" in picture[0].source
    assert "### BEGIN SOLUTION" not in nbformat.writes(nb)


@pytest.mark.nbgrader
def test_filled_notebook_grades_in_full_without_matplotlib(course, seq, released_06, tmp_path):
    """Every code cell runs in the sandbox, the picture cell too: matplotlib is not there, and
    the cell draws nothing instead of failing."""
    from autograder.demo import fill_notebook
    path = fill_notebook(released_06, seq, tmp_path / "06_sequences.ipynb")
    result = grade_file(course, seq, path)
    assert result.passed and not result.notes, (result.notes, result.error)


def test_the_picture_is_drawn_in_a_real_kernel(course, seq, tmp_path):
    """The instructor's notebook, run top to bottom by a real kernel with matplotlib: the
    picture cell shows an image, no cell raises."""
    from nbclient import NotebookClient
    from autograder.authoring import build_notebook
    nb = build_notebook(course, seq, "en")
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(course.root)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, errors
    picture = next(c for c in _plain_cells(nb) if "matplotlib" in c.source)
    assert any(o.output_type == "display_data" and "image/png" in o.data for o in picture.outputs)
