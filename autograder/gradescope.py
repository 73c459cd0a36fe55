"""Gradescope: `autograder gradescope ID --out autograder.zip` packages one assignment's
autograder, and `python -m autograder.gradescope` is what its `run_autograder` runs.

The zip (Gradescope unpacks it into /autograder/source):

    setup.sh          run once when Gradescope builds the image (Ubuntu, root): bubblewrap and
                      libseccomp (the sandbox), a Python >= 3.11 venv in /autograder/venv, the
                      CPU build of PyTorch, and this project (project/)
    run_autograder    run per submission: grades /autograder/submission, writes
                      /autograder/results/results.json, always (a grading failure too)
    project/          this package's source (pip-installed by setup.sh)
    course/           course.yaml, the reference (course.yaml names it) and the course secret:
                      the zip is the instructor's, never the students' (their code runs in the
                      sandbox, which sees no course folder)

Paths come from $GRADESCOPE_ROOT (default /autograder) and the interpreter from
$AUTOGRADER_PYTHON (default /autograder/venv/bin/python), so a test can run the same
`run_autograder` in a temporary folder.

What students see when is a course-level policy, course.yaml's `gradescope:` section:

    gradescope:
      hidden: after_published   # each problem's graded (hidden-case) outcome and points
      summary: visible          # its one line of what failed, a test of its own
      stdout: hidden            # the grader's log

(each one of hidden, after_due_date, after_published, visible; default: all visible but
stdout). Gradescope's default container has 768 MB and a 10-minute timeout with no partial
results: set the autograder's memory to at least course.yaml's limits.memory_mb plus about
600 MB for the grader (PyTorch), and keep limits.timeout_s times the number of problems well
under ten minutes.
"""
from __future__ import annotations

import io
import json
import os
import stat
import sys
import time
import traceback
import zipfile
from pathlib import Path

import yaml

from autograder.course import Assignment, Course, CourseError
from autograder.report import DEFAULT_POLICY, GRADESCOPE_VISIBILITY

PROJECT = Path(__file__).resolve().parent.parent
GRADESCOPE_MEMORY_MB = 768

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
# Written by `autograder gradescope {assignment}`.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq bubblewrap libseccomp2 python3 python3-venv python3-pip
PY=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt-get install -y -qq software-properties-common
  add-apt-repository -y ppa:deadsnakes/ppa && apt-get update -qq
  apt-get install -y -qq python3.11 python3.11-venv
  PY=python3.11
fi
"$PY" -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q "torch=={torch}" --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install -q /autograder/source/project
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always writes results/results.json.
# Written by `autograder gradescope {assignment}`.
ROOT="${{GRADESCOPE_ROOT:-/autograder}}"
PY="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
exec "$PY" -m autograder.gradescope --root "$ROOT" --assignment {assignment}{lang}
"""


def policy(course: Course) -> dict:
    """course.yaml's `gradescope:` section, checked (CourseError naming the key)."""
    path = course.root / "course.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    section = data.get("gradescope") or {}
    problems = []
    if not isinstance(section, dict):
        raise CourseError(path, ["gradescope: must be a mapping (hidden, summary, stdout)"])
    for key, value in section.items():
        if key not in DEFAULT_POLICY:
            problems.append(f"gradescope.{key}: unknown key (allowed: "
                            f"{', '.join(DEFAULT_POLICY)})")
        elif value not in GRADESCOPE_VISIBILITY:
            problems.append(f"gradescope.{key}: must be one of {', '.join(GRADESCOPE_VISIBILITY)}"
                            f", got {value!r}")
    if problems:
        raise CourseError(path, problems)
    return {**DEFAULT_POLICY, **section}


def _torch_version() -> str:
    from importlib.metadata import version
    return version("torch").split("+")[0]


def _add(z: zipfile.ZipFile, name: str, data: bytes | str, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def _project_files():
    """This package's source: pyproject.toml and autograder/ (no caches)."""
    yield "pyproject.toml", PROJECT / "pyproject.toml"
    for path in sorted((PROJECT / "autograder").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield str(path.relative_to(PROJECT)), path


def build_zip(course: Course, assignment: Assignment, out: Path, lang: str | None = None) -> list[str]:
    """Write Gradescope's autograder.zip for `assignment`; returns notes for the instructor."""
    from autograder.secret import load_secret
    policy(course)                                   # a malformed policy stops here
    secret = load_secret(course.root, create=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        _add(z, "setup.sh", SETUP.format(assignment=assignment.id, torch=_torch_version()), 0o755)
        _add(z, "run_autograder", RUN.format(assignment=assignment.id,
                                             lang=f" --lang {lang}" if lang else ""), 0o755)
        for name, path in _project_files():
            _add(z, f"project/{name}", path.read_bytes())
        _add(z, "course/course.yaml", (course.root / "course.yaml").read_bytes())
        for a in course.assignments:                 # course.yaml names every reference
            _add(z, f"course/{a.reference.relative_to(course.root)}", a.reference.read_bytes())
        _add(z, "course/.autograder-secret", secret.hex() + "\n", 0o600)
    tmp = Path(out).with_name(Path(out).name + ".tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(out)
    notes = []
    if course.memory_mb + 600 > GRADESCOPE_MEMORY_MB:
        notes.append(f"set the autograder's memory in Gradescope to at least "
                     f"{course.memory_mb + 600} MB (limits.memory_mb {course.memory_mb} + the "
                     f"grader; Gradescope's default is {GRADESCOPE_MEMORY_MB} MB)")
    worst = course.policy_for(assignment).timeout_s * (len(assignment.problems) + 1)
    if worst > 300:
        notes.append(f"a submission may take up to {worst:g} s (limits.timeout_s x problems); "
                     "Gradescope stops at its timeout with no partial results")
    notes.append("the zip holds the course secret and the reference: keep it private")
    return notes


# ---------------------------------------------------------------- run_autograder's side
def student_of(metadata: Path) -> dict:
    """Who submitted, from Gradescope's submission_metadata.json (all fields optional)."""
    try:
        data = json.loads(metadata.read_text(encoding="utf-8"))
        users = data.get("users") or []
        ids = [str(u.get("sid") or u.get("email") or u.get("id") or u.get("name"))
               for u in users if isinstance(u, dict)]
        return {"student": ids[0] if ids else None, "students": ids,
                "submission_id": data.get("id")}
    except (OSError, ValueError, AttributeError):
        return {"student": None, "students": [], "submission_id": None}


def _submission(folder: Path, assignment: Assignment, patterns: tuple[str, ...]) -> Path:
    """The file graded in Gradescope's submission folder: the one the course's
    `submission_files` patterns pick (by default named like the assignment, else the single
    notebook, else the single .py file)."""
    from autograder.batch import InputError, _choose, _walk
    from autograder.submission import SUFFIXES
    files = [p for p in _walk(folder) if p.suffix in SUFFIXES]
    chosen = _choose([p.name for p in files], {assignment.id}, patterns)
    if len(chosen) != 1:
        raise InputError(f"expected one notebook ({assignment.id}.ipynb) in the submission, "
                         f"found {len(files)} files" + (f": {', '.join(p.name for p in files)}"
                                                       if files else ""))
    return files[chosen[0]]


def failed_results(message: str, max_score: float, who: dict) -> dict:
    from autograder.report import markdown_block
    return {"score": 0, "max_score": max_score, "tests": [], "output_format": "md",
            "output": markdown_block(message.splitlines()), "stdout_visibility": "hidden",
            "extra_data": {"grading_failed": True, **who}}


def run(root: Path, assignment_id: str, lang: str | None = None) -> int:
    """Grade /autograder/submission into /autograder/results/results.json; whatever happens,
    results.json is written (a failure gives score 0 and says why)."""
    from autograder import report
    results = root / "results" / "results.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    who = student_of(root / "submission_metadata.json")
    max_score = 0.0
    start = time.monotonic()
    try:
        from autograder import sandbox
        from autograder.batch import InputError
        from autograder.course import load_course
        from autograder.grading import grade_file
        from autograder.secret import load_secret
        course = load_course(root / "source" / "course" / "course.yaml")
        assignment = course.assignment(assignment_id)
        max_score = assignment.max_score
        lang = lang or course.language
        rules = policy(course)
        try:
            path = _submission(root / "submission", assignment, course.submission_files)
        except InputError as e:
            report.write_json(results, failed_results(str(e), max_score, who))
            print(e)
            return 0
        sandbox.ensure_available(course.policy)
        result = grade_file(course, assignment, path, load_secret(course.root))
        data = report.gradescope(result, lang, rules)
        data["extra_data"].update(who)
        report.write_json(results, data)
        print(report.render_text([result], lang, color=False))
        return 0
    except BaseException as e:             # the grader failed, not the student: say so
        if isinstance(e, KeyboardInterrupt):
            raise
        trace = traceback.format_exc()
        message = (f"The autograder could not grade this submission ({type(e).__name__}: {e}). "
                   "This is not your mistake; your instructor has been told.")
        report.write_json(results, failed_results(message, max_score, who))
        print(trace, file=sys.stderr)
        return 1
    finally:
        print(f"graded in {time.monotonic() - start:.1f} s", file=sys.stderr)


def main(argv=None) -> int:
    import argparse
    p = argparse.ArgumentParser(prog="python -m autograder.gradescope",
                                description="Gradescope's run_autograder: grade one submission")
    p.add_argument("--root", type=Path, default=Path(os.environ.get("GRADESCOPE_ROOT",
                                                                    "/autograder")))
    p.add_argument("--assignment", required=True)
    p.add_argument("--lang", choices=("en", "ko"))
    args = p.parse_args(argv)
    code = run(args.root, args.assignment, args.lang)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)                         # skip the slow interpreter exit (torch's teardown)


if __name__ == "__main__":
    main()
