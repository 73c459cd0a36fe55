"""Issue 11: nbgrader's Validate (the student's Validate button) reports the public checks'
real outcome. Real `nbgrader validate` on a released notebook: filled in, it succeeds; with
one buggy function, the graded cell of that function fails validation (the public check's
failure is written to stderr, which nbgrader counts as a failing graded cell)."""
import subprocess
import sys

import nbformat
import pytest

pytestmark = pytest.mark.nbgrader

NO_BIAS = '''def conv_forward(x, w, b, stride, pad):
    """The bias is never added."""
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    OH, OW = (H + 2 * pad - FH) // stride + 1, (W + 2 * pad - FW) // stride + 1
    out = np.zeros((N, F, OH, OW))
    for i in range(OH):
        for j in range(OW):
            win = xp[:, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
            out[:, :, i, j] = np.tensordot(win, w, axes=([1, 2, 3], [1, 2, 3]))
    return out
'''


def _validate(path, cwd):
    done = subprocess.run([sys.executable, "-m", "nbgrader", "validate", str(path)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    return done.stdout + done.stderr


def test_validate_fails_a_notebook_whose_public_check_fails(released, course, conv, tmp_path):
    from autograder.demo import fill_notebook
    from autograder.i18n import t
    _, released_nb = released
    good = fill_notebook(released_nb, conv, tmp_path / "good.ipynb")
    out = _validate(good, tmp_path)
    assert "Success! Your notebook passes all the tests." in out, out[-3000:]

    nb = nbformat.read(str(good), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "solution_conv_forward":
            cell.source = NO_BIAS
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, str(bad))
    out = _validate(bad, tmp_path)
    assert "Success!" not in out and "VALIDATION FAILED" in out, out[-3000:]
    assert 'graded("conv_forward")' in out, out[-3000:]
    # in the course's language, or English where the kernel finds no course.yaml
    assert any(t("graded_failing", lang, problem="conv_forward") in out
               for lang in (course.language, "en")), out[-3000:]
    assert 'graded("zero_pad")' not in out            # the other graded cells still pass
