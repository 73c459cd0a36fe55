"""Real nbgrader: generate_assignment makes the student notebook; it holds no reference
code and no hidden case."""
import nbformat
import pytest

from autograder import oracle
from autograder.authoring import reference_chunks

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
        body = [line.strip() for line in code.splitlines()[1:] if len(line.strip()) > 25]
        assert not [line for line in body if line in text], name
    assert "BEGIN SOLUTION" not in text
    public = {c.name for gp in conv.problems for c in oracle.cases(gp.problem, 0, False)}
    hidden = {c.name for gp in conv.problems for c in oracle.cases(gp.problem, gp.seed, True)}
    assert not [name for name in hidden - public if name in text]
    assert "4172" not in text                       # the hidden seed


def test_graded_cells_are_locked_and_carry_points(released, conv):
    _, path = released
    nb = nbformat.read(str(path), as_version=4)
    tests = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade")}
    assert {f"test_{gp.name}": gp.points for gp in conv.problems} == \
        {k: c.metadata["nbgrader"]["points"] for k, c in tests.items()}
