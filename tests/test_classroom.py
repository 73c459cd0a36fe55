"""GitHub Classroom: the student repository's workflow (public checks, Classroom's own actions,
no token) run locally with the same commands, and the instructor's grading over cloned
repositories (logins as student ids, only the submission graded)."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from autograder.classroom import COMMAND_GRADER, REPORTER, classroom_workflow
from autograder.cli import Exit, main
from tests.conftest import ROOT

WORKFLOW = ROOT / "examples" / "github-classroom" / "classroom.yml"
BROKEN = "\n\ndef conv_forward(x, w, b, stride, pad):\n    return np.zeros((1,))\n"


def notebook(path: Path, source: str) -> Path:
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": source.splitlines(True)}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    return path


def steps():
    return yaml.safe_load(WORKFLOW.read_text())["jobs"]["run-autograding-tests"]["steps"]


def test_the_example_is_what_the_command_writes(course, conv):
    assert WORKFLOW.read_text() == classroom_workflow(course, conv)


def test_the_workflow_reports_to_classroom_without_a_token(conv):
    flow = yaml.safe_load(WORKFLOW.read_text())
    assert flow["name"] == "Autograding Tests"            # the check run Classroom reads
    text = WORKFLOW.read_text()
    assert "secrets." not in text and "token" not in text.lower().replace("no token", "")
    graders = [s for s in steps() if s.get("uses") == COMMAND_GRADER]
    assert {s["id"]: float(s["with"]["max-score"]) for s in graders} == \
        {gp.name: gp.points for gp in conv.problems}
    reporter = next(s for s in steps() if s.get("uses") == REPORTER)
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graders]
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in graders}


def _points(folder: Path) -> tuple[float, float]:
    """Every command of the workflow, as the command grader runs it, in the student's checkout;
    the points the reporter would sum."""
    graders = [s for s in steps() if s.get("uses") == COMMAND_GRADER]
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                  os.environ["PATH"]]))

    def run(step):
        proc = subprocess.run(step["with"]["command"], shell=True, cwd=folder, env=env,
                              capture_output=True, text=True, timeout=300)
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
        return float(step["with"]["max-score"]) if proc.returncode == 0 else 0.0

    with ThreadPoolExecutor(2) as pool:
        scores = list(pool.map(run, graders))
    return sum(scores), sum(float(s["with"]["max-score"]) for s in graders)


def test_the_public_checks_run_locally_with_the_same_commands(tmp_path, reference_source):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir(), bad.mkdir()
    notebook(good / "01_convolution.ipynb", reference_source)
    notebook(bad / "01_convolution.ipynb", reference_source + BROKEN)
    assert _points(good) == (13, 13)
    assert _points(bad) == (10, 13)


def test_check_says_what_failed(tmp_path, reference_source, capsys):
    path = notebook(tmp_path / "01_convolution.ipynb", reference_source + BROKEN)
    assert main(["check", str(path), "--problem", "conv_forward", "--lang", "en"]) == Exit.FAILED
    out = capsys.readouterr().out
    assert "conv_forward" in out and "shape" in out
    assert main(["check", str(path), "--problem", "nope"]) == Exit.USAGE


def clone(root: Path, login: str, files: dict[str, str]) -> None:
    repo = root / f"01-convolution-{login}"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "config").write_text("[core]\n")
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".ipynb"):
            notebook(path, text)
        else:
            path.write_text(text)


def test_grading_cloned_repositories_by_login(tmp_path, reference_source):
    root = tmp_path / "01-convolution-submissions"
    template = {".github/workflows/classroom.yml": WORKFLOW.read_text(),
                "tests/test_public.py": "def test_nothing():\n    pass\n"}
    clone(root, "alice", {"01_convolution.ipynb": reference_source, "utils.py": "X = 1\n",
                          **template})
    clone(root, "bob-kim", {"01_convolution.ipynb": reference_source + BROKEN, **template})
    clone(root, "carol", {"my_work.ipynb": reference_source, **template})
    out = tmp_path / "graded"
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(root), "--out",
                           str(out), "--jobs", "2", "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == Exit.FAILED, proc.stderr
    paths = [s["path"] for s in json.loads(proc.stdout)["submissions"]]
    assert len(paths) == 3 and all(p.endswith(".ipynb") for p in paths)
    with open(out / "scores.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"alice", "bob-kim", "carol"}
    assert [float(rows[s]["score"]) for s in ("alice", "bob-kim", "carol")] == [13, 10, 13]
    assert all(r["assignment"] == "01_convolution" for r in rows.values())
    assert json.loads((out / "bob-kim" / "01_convolution" / "results.json").read_text())["score"] == 10


ACTIONLINT = (__import__("shutil").which("actionlint", path=str(Path(sys.executable).parent))
              or __import__("shutil").which("actionlint"))


@pytest.mark.skipif(not ACTIONLINT and not os.environ.get("CI"),
                    reason="actionlint not installed (the [test] extra brings it)")
def test_actionlint_is_clean():
    """The example (what `autograder classroom` writes, as a test above checks)."""
    proc = subprocess.run([ACTIONLINT, str(WORKFLOW)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


BLOCKER = '''import sys, importlib.abc
BLOCKED = {blocked!r}
class _Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not on the runner)", name=name)
sys.meta_path.insert(0, _Block())
'''


def grader_only_modules() -> set[str]:
    """The top-level modules of every dependency in pyproject.toml but NumPy and SciPy: what
    the workflow's `pip install --no-deps` leaves off the student's runner."""
    import importlib.metadata
    import re
    import tomllib
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!~\[ ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}
    modules = {m for m, dists in importlib.metadata.packages_distributions().items()
               if {d.lower().replace("_", "-") for d in dists} & (names - {"numpy", "scipy"})}
    assert {"torch", "yaml", "nbformat", "nbgrader", "matplotlib"} <= modules
    return modules


def test_the_workflows_checks_run_with_numpy_and_scipy_alone(released, conv, tmp_path):
    """The workflow installs NumPy, SciPy and the package without its dependencies: its
    `autograder check` commands work on the released notebook with nothing else importable
    and no course files, and speak the notebook's language."""
    from autograder.demo import fill_notebook
    assert "--no-deps" in WORKFLOW.read_text() and "torch" not in WORKFLOW.read_text()
    (tmp_path / "blocker").mkdir()
    (tmp_path / "blocker" / "sitecustomize.py").write_text(
        BLOCKER.format(blocked=sorted(grader_only_modules())))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path / "blocker"), str(ROOT)]),
               AUTOGRADER_COURSE=str(tmp_path / "no-course.yaml"))
    repo = tmp_path / "repo"
    repo.mkdir()
    path = fill_notebook(released[1], conv, repo / "01_convolution.ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "solution_conv_forward":
            cell["source"] = BROKEN
    path.write_text(json.dumps(nb), encoding="utf-8")

    def check(problem):
        return subprocess.run([sys.executable, "-m", "autograder", "check", path.name, "--problem",
                               problem], cwd=repo, env=env, capture_output=True, text=True,
                              timeout=120)
    good, bad = check("conv_output_size"), check("conv_forward")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "공개 검사" in good.stdout                      # the released notebook's language
    assert bad.returncode == 1 and "conv_forward" in bad.stdout, bad.stdout + bad.stderr
    assert "not on the runner" not in good.stderr + bad.stderr
