"""The GitHub Classroom workflow is valid YAML and runs the command we test."""
import yaml

from tests.conftest import ROOT


def test_the_classroom_workflow_grades_submission_ipynb():
    flow = yaml.safe_load((ROOT / "examples" / "github-classroom" / "autograde.yml").read_text())
    steps = flow["jobs"]["grade"]["steps"]
    grade = next(s for s in steps if s.get("id") == "grade")["run"]
    assert "autograder grade ../submission/submission.ipynb" in grade
    assert "--results ../results.json" in grade and "exit $code" in grade
    assert any("torch==2.13.0" in s.get("run", "") for s in steps)
