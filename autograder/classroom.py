"""GitHub Classroom, in two halves.

In the student's repository: `autograder check NOTEBOOK --problem NAME` runs the notebook's
code and that problem's PUBLIC cases (the ones `check()` shows), exit 0 when all pass. The
workflow `classroom_workflow()` writes runs it once per problem through GitHub Classroom's own
actions (`autograding-command-grader`, then `autograding-grading-reporter`, which reports
`Points X/Y` to Classroom). It needs neither the course repository, nor a token, nor the course
secret, nor PyTorch (the released notebook carries its public cases' answers: public_data; the
runner installs NumPy, SciPy and this package without its dependencies): it is advisory, like `check()` in the notebook, and it is the student's own code on the
student's own runner.

On the instructor's side, where the course secret lives: `autograder grade` over the cloned
repositories (`gh classroom clone student-repos`), each repository's login as the student id
(batch.classroom_logins).
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from autograder.course import Assignment, Course

REPORTER = "classroom-resources/autograding-grading-reporter@v1"
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"


def notebook_namespace(path: Path) -> tuple[dict, list[str]]:
    """Run a notebook's (or .py file's) code cells, as plain Python, in a fresh namespace, the
    way its kernel would (a cell that raises is reported and the next one runs). The
    student's own code on the student's own machine: no sandbox here."""
    from autograder.submission import notebook_cells, plain_python
    text = Path(path).read_text(encoding="utf-8-sig")
    cells = notebook_cells(json.loads(text)) if Path(path).suffix == ".ipynb" else \
        ((0, plain_python(text)),)
    namespace: dict = {"__name__": "__main__"}
    problems = []
    for index, source in cells:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"{path} (cell {index})", "exec"), namespace)
        except BaseException as e:           # SystemExit and KeyboardInterrupt in a cell too
            if isinstance(e, KeyboardInterrupt):
                raise
            problems.append(f"cell {index}: {type(e).__name__}: {e}"[:300])
    return namespace, problems


def public_check(namespace: dict, name: str, lang: str | None = None) -> bool:
    """Print check()'s feedback for problem `name` and say whether every public case passed."""
    from autograder import selfcheck
    fn = namespace.get(name)
    if not callable(fn):
        print(f"{name}: not defined")
        return False
    found = selfcheck.outcome(name, fn, lang)     # check()'s own run, printed once
    print(found.text)
    return found.passed


def classroom_workflow(course: Course, assignment: Assignment, lang: str | None = None) -> str:
    """The student repository's `.github/workflows/classroom.yml`: one command-grader step per
    problem (its points as max-score), then Classroom's reporter."""
    lang = lang or course.language
    notebook = f"{assignment.id}.ipynb"
    steps = []
    for gp in assignment.problems:
        steps.append(f"""      - name: {gp.name}
        id: {gp.name}
        uses: {COMMAND_GRADER}
        with:
          test-name: {gp.name}
          command: autograder check {notebook} --problem {gp.name} --lang {lang}
          timeout: 5
          max-score: {gp.points:g}
""")
    env = "".join(f'          {gp.name.upper()}_RESULTS: "${{{{ steps.{gp.name}.outputs.result }}}}"\n'
                  for gp in assignment.problems)
    runners = ",".join(gp.name for gp in assignment.problems)
    return f"""# GitHub Classroom, the student's repository: the PUBLIC checks of {assignment.id} on every
# push, reported to Classroom as "Points X/{assignment.max_score:g}" by Classroom's own reporter.
# Written by `autograder classroom {assignment.id}`; put it at .github/workflows/classroom.yml
# in the assignment's template repository, next to {notebook} (the released notebook).
# It holds no course material, no token and no secret: the graded (hidden) cases run on the
# instructor's side over the cloned repositories (examples/github-classroom/README.md).
# AUTOGRADER_PACKAGE (an organisation variable) is the pip requirement of the autograder
# package alone, e.g. git+https://github.com/ORG/course-autograder.git@v1 or a wheel's URL.
name: Autograding Tests
"on":
  - push
  - repository_dispatch
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
env:
  AUTOGRADER_PACKAGE: ${{{{ vars.AUTOGRADER_PACKAGE || 'course-autograder' }}}}
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 20
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install the public checks
        run: |
          python -m pip install -q numpy scipy
          python -m pip install -q --no-deps "$AUTOGRADER_PACKAGE"
{"".join(steps)}      - name: Autograding Reporter
        uses: {REPORTER}
        env:
{env}        with:
          runners: {runners}
"""
