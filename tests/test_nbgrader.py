"""Real nbgrader: generate_assignment makes the student notebook; it holds no reference
code and no hidden case."""
import nbformat
import pytest

from autograder import oracle
from autograder.authoring import reference_chunks, solution_lines
from autograder.secret import load_secret
from tests.conftest import ROOT, class_folder, exported_scores

pytestmark = pytest.mark.nbgrader


def test_released_notebook_asks_for_every_function(released, conv):
    _, path = released
    nb = nbformat.read(str(path), as_version=4)
    solutions = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(solutions) == len(conv.problems)
    assert all("NotImplementedError" in c.source for c in solutions)


def test_released_notebook_has_no_reference_code_and_no_hidden_case(released, conv):
    _, path = released
    text = path.read_text(encoding="utf-8")
    for name, code in reference_chunks(conv.reference).items():
        body = [line.strip() for line in solution_lines(code) if len(line.strip()) > 25]
        assert not [line for line in body if line in text], name
    assert "BEGIN SOLUTION" not in text
    public = {c.name for gp in conv.problems for c in oracle.public_cases(gp.problem, 0).cases}
    hidden = {c.name for gp in conv.problems for c in oracle.CaseSet(gp.problem, 1, True).cases}
    assert not [name for name in hidden - public if name in text]


def test_graded_cells_are_locked_and_carry_points(released, conv):
    _, path = released
    nb = nbformat.read(str(path), as_version=4)
    tests = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade")}
    assert {f"test_{gp.name}": gp.points for gp in conv.problems} == \
        {k: c.metadata["nbgrader"]["points"] for k, c in tests.items()}


# ---------------------------------------------------------------- nbgrader end to end
TAMPER = """
import builtins, numpy as np
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
import autograder, autograder.notebook
autograder.check = lambda *a, **k: print("all public checks passed")
autograder.notebook.graded = lambda name: 999
builtins.AssertionError = type("Never", (Exception,), {})
"""

STUDENTS = {
    "alice": {},                                                # the reference: deserves 13
    "bob": {"conv_forward": "def conv_forward(x, w, b, stride, pad):\n    return np.zeros((1,))\n" + TAMPER},
    "carol": {"zero_pad": "def zero_pad(x, P):\n    return np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))\n" + TAMPER},
    "dave": "stubs",                                            # nothing implemented, all tampering
}


def write_submissions(dest, released_nb, conv):
    import nbformat
    from autograder.demo import fill_notebook
    for student, changes in STUDENTS.items():
        folder = dest / "submitted" / student / conv.id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{conv.id}.ipynb"
        if changes == "stubs":
            nb = nbformat.read(str(released_nb), as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell(TAMPER))
            nbformat.write(nb, str(path))
            continue
        fill_notebook(released_nb, conv, path)
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            name = cell.metadata.get("nbgrader", {}).get("grade_id", "").removeprefix("solution_")
            if name in changes:
                cell.source = changes[name]
        nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def autograded(released, conv):
    from autograder.release import nbgrader
    dest, released_nb = released
    write_submissions(dest, released_nb, conv)
    nbgrader(dest, "autograde", conv.id)
    nbgrader(dest, "generate_feedback", conv.id)
    return dest, exported_scores(dest)


def test_nbgrader_autograde_scores_come_from_the_sandbox(autograded):
    _, scores = autograded
    assert scores == {"alice": 13.0, "bob": 10.0, "carol": 13.0, "dave": 0.0}


def test_nbgrader_export_matches_autograder_grade(autograded, course, conv, capsys):
    from autograder import batch
    dest, scores = autograded
    items = [batch.identify(course, p) for p in batch.collect([str(dest / "submitted")])]
    ours = {i.student: r.score for i, r in batch.grade_all(course, items)}
    assert ours == scores


def test_feedback_html_names_the_mistake_and_shows_no_hidden_values(autograded):
    dest, _ = autograded
    html = (dest / "feedback" / "bob" / "01_convolution" / "01_convolution.html").read_text()
    assert "conv_forward" in html and ("shape" in html or "모양" in html)
    assert load_secret(ROOT).hex() not in html


def test_grade_writes_the_gradebook(course_copy, tmp_path, reference_source):
    """`autograder grade --gradebook` into a fresh copy of the released gradebook."""
    from autograder.cli import main
    submitted = class_folder(tmp_path, {
        "erin": reference_source,
        "frank": reference_source + "\ndef conv_backward(*a):\n    raise ValueError\n"})
    assert main(["grade", str(submitted), "--gradebook", str(course_copy)]) == 1
    scores = exported_scores(course_copy)
    assert (scores["erin"], scores["frank"]) == (13.0, 9.0)


def test_two_graders_writing_one_gradebook_lose_nothing(course_copy, tmp_path, reference_source):
    import subprocess
    import sys
    procs = []
    for batch_name in ("a", "b"):
        submitted = class_folder(tmp_path / batch_name, {
            f"{batch_name}{i}": reference_source + ("\ndef zero_pad(x, P):\n    return x\n" if i % 2 else "")
            for i in range(8)})
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "autograder", "grade", str(submitted),
             "--gradebook", str(course_copy), "--jobs", "1", "--no-progress"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 1, err[-1500:]           # half of each batch is wrong
    scores = exported_scores(course_copy)
    expected = {f"{b}{i}": 12.25 if i % 2 else 13.0 for b in "ab" for i in range(8)}  # P=0 cases pass
    assert {k: scores.get(k) for k in expected} == expected


# ---------------------------------------------------------------- the student's side, in a real kernel
def test_the_released_notebook_runs_in_a_real_kernel(released, course, conv, tmp_path):
    """A student who fills in every solution cell sees every public check pass, in Jupyter;
    one who has not yet sees which checks fail, and the notebook still runs to the end."""
    import nbclient
    from autograder.demo import fill_notebook
    from autograder.i18n import t
    _, released_nb = released
    outputs = {}
    for name, path in (("filled", fill_notebook(released_nb, conv, tmp_path / "filled.ipynb")),
                       ("stubs", released_nb)):
        nb = nbformat.read(str(path), as_version=4)
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
        outputs[name] = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                                for o in c.get("outputs", []))
    lang = course.language
    for gp in conv.problems:
        n = len(oracle.public_cases(gp.problem, course.public_seed).cases)
        assert t("check.ok", lang, problem=gp.name, n=n) in outputs["filled"]
        assert t("check.bad", lang, problem=gp.name, n=n, n_passed=0) in outputs["stubs"]
        assert t("graded_here", lang, problem=gp.name) in outputs["stubs"]
    assert "NotImplementedError" in outputs["stubs"]
