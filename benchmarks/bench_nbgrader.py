"""Ours against stock `nbgrader autograde`, whole command against whole command, on 40
notebooks of which half are buggy, with a baseline that really grades.

    python benchmarks/bench_nbgrader.py [--n 40] [--ours-runs 3] [--out FILE]

The baseline is a stock nbgrader course (nbgrader's default configuration: Execute runs each
notebook in a fresh Jupyter kernel) for 01_convolution whose test cells assert the same checks
as the autograder: each hidden-size case of the problem in float64 and, where the problem has
it, float32; the expected values are the PyTorch oracle's, embedded in the cell; closeness is
|actual - expected| <= atol + rtol |expected| with course.yaml's tolerances; an error case must
raise its exception; a returned value is accepted by the sandbox's rule. A cell's output is the
points earned (nbgrader's partial credit), or an AssertionError when nothing passed. The
notebooks hold no autograder import and no check() call, so nbgrader's kernels run plain
NumPy; the test cells hold no secret (the cases are fixed: the same for every notebook).

The notebooks: the released baseline notebook filled with the reference solutions; half of
them with one typical mistake (examples/mistakes/01_convolution/*.py) in the solution cell of
the problem it breaks; each with its own comment line, so each draws its own hidden cases in
the autograder (its cases are per submission; the baseline's are fixed).

Measured: `autograder grade submitted/ --jobs 2 --format json` (whole command, median of
--ours-runs) against `nbgrader autograde 01_convolution` (whole command, one run), on the same
files; beside them the internals: our per-submission grading seconds (SubmissionResult.seconds)
and nbgrader's per-notebook seconds from its own timestamped log. Then the scores, per
notebook and problem, from our JSON and nbgrader's gradebook: they must agree (both full marks
or both less on every problem); a disagreement is printed and the exit status is 1.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
AID = "01_convolution"
SEED = 2026                       # the baseline's fixed case seed
CONFIG = '''# nbgrader's default autograde pipeline (Execute in a fresh kernel): the baseline.
c = get_config()
c.CourseDirectory.course_id = "course"
c.CourseDirectory.root = {root!r}
'''
from bench_grading import LOG_FORMAT, notebook_spans     # nbgrader's timestamped log, read back

# The checker each test cell carries (stock nbgrader: the test is in the cell).
CHECKER = '''import base64, warnings
import numpy as np

def _array(spec):
    if isinstance(spec, list) and len(spec) == 3 and isinstance(spec[2], str):
        return np.frombuffer(base64.b64decode(spec[2]), dtype=spec[0]).reshape(spec[1]).copy()
    return spec

def _as_arrays(value, n_outputs):
    parts = value if n_outputs > 1 else (value,)
    if n_outputs > 1 and (not isinstance(value, (tuple, list)) or len(value) != n_outputs):
        return None
    arrays = []
    for part in parts:
        if part is None:
            return None
        a = np.array(part, copy=True)
        if a.dtype.kind not in "biuf":
            return None
        arrays.append(np.array(a, dtype=np.float64))
    return arrays

def _points(fn, cases, n_outputs, packed, points):
    passed = total = 0
    for args, raises, checks in cases:
        args = [_array(a) for a in args]
        if raises:
            total += 1
            try:
                fn(*args)
            except Exception as e:
                passed += raises in [c.__name__ for c in type(e).__mro__]
            continue
        for dtype, expected, rtol, atol in checks:
            total += 1
            try:
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    got = _as_arrays(fn(*[a.astype(dtype) if isinstance(a, np.ndarray) else a
                                          for a in args]), n_outputs)
                    if got is not None and packed:
                        flat = got[0].ravel()
                        got = [np.asarray(v) for v in flat] if flat.size == len(expected) else None
                    passed += got is not None and len(got) == len(expected) and all(
                        a.shape == e.shape and bool(np.all(np.abs(a - e) <= atol + rtol * np.abs(e)))
                        for a, e in zip(got, map(_array, expected)))
            except Exception:
                pass
    assert passed, f"0 of {total} checks passed"
    return round(points * passed / total, 4)
'''


def _spec(value):
    if isinstance(value, np.ndarray):
        a = np.array(value, order="C")          # (ascontiguousarray would make a 0-d array 1-d)
        return [a.dtype.str, list(a.shape), base64.b64encode(a.tobytes()).decode()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def test_cell(gp) -> str:
    """The source of one problem's nbgrader test cell: the checker, the cases, the call."""
    from autograder import oracle
    problem = gp.problem
    cases = oracle.CaseSet(problem, SEED, hidden=True)
    expected = cases.expected("float64", "cpu")
    dtypes = ("float64", "float32") if problem.float32 else ("float64",)
    rows = []
    for case in cases.cases:
        if case.raises is not None:
            rows.append([[_spec(a) for a in case.args], case.raises.__name__, []])
            continue
        rows.append([[_spec(a) for a in case.args], None,
                     [[d, [_spec(np.asarray(e)) for e in expected[case.name]],
                       gp.tolerance[d].rtol, gp.tolerance[d].atol] for d in dtypes]])
    n_outputs = 1 if problem.packed else len(problem.outputs)
    return (f"# Test: {problem.name}, {len(cases.cases)} cases, the oracle's expected values "
            f"(benchmarks/bench_nbgrader.py)\n{CHECKER}\nCASES = {rows!r}\n"
            f"_points({problem.name}, CASES, {n_outputs}, {problem.packed}, {gp.points})")


def baseline_source(course, assignment, dest: Path) -> None:
    """The stock course's source notebook: ours, with no autograder in it and real tests."""
    import nbformat
    nb = nbformat.read(str(assignment_notebook(assignment)), as_version=4)
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id", "")
        if cell.cell_type == "code" and not meta and "check(" in cell.source:
            continue                                          # the public self-check calls
        if gid.startswith("setup_"):
            cell.source = "import numpy as np"
        elif gid.startswith("test_"):
            cell.source = test_cell(assignment.problem(gid[len("test_"):]))
        cells.append(cell)
    nb.cells = cells
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(dest))


def assignment_notebook(assignment) -> Path:
    return ROOT / "assignments" / assignment.id / f"{assignment.id}.ipynb"


def submissions(assignment, released: Path, submitted: Path, n: int) -> dict[str, str | None]:
    """n notebooks in nbgrader's layout, every other one with a mistake: {student: mistake}."""
    import nbformat
    from autograder.authoring import reference_chunks
    from autograder.demo import literals
    solutions = reference_chunks(assignment.reference)
    mistakes = sorted(p for p in (ROOT / "examples" / "mistakes" / assignment.id).glob("*.py")
                      if literals(p).get("BREAKS"))
    made = {}
    for i in range(n):
        student = f"s{i:02d}"
        mistake = mistakes[(i // 2) % len(mistakes)] if i % 2 else None
        nb = nbformat.read(str(released), as_version=4)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if gid.startswith("solution_"):
                name = gid[len("solution_"):]
                cell.source = solutions[name]
                if mistake is not None and name == literals(mistake)["BREAKS"][0]:
                    cell.source += "\n\n# --- the mistake ---\n" + mistake.read_text(encoding="utf-8")
        first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
        first.source = f"# {student}\n" + first.source
        path = submitted / student / assignment.id / f"{assignment.id}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(path))
        made[student] = mistake.stem if mistake else None
    return made


def nbgrader_scores(course_dir: Path, students) -> dict[str, dict[str, float]]:
    """{student: {problem: score}} from nbgrader's gradebook (its test cells' grades)."""
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        for student in students:
            nb = gb.find_submission_notebook(AID, AID, student)
            out[student] = {g.name[len("test_"):]: float(g.score) for g in nb.grades
                            if g.name.startswith("test_")}
    return out


def loadavg() -> str:
    return open("/proc/loadavg").read().split()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=40, help="notebooks (half buggy; default 40)")
    ap.add_argument("--ours-runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, help="also write the report here")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    lines: list[str] = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    from autograder.course import load_course
    from autograder.release import nbgrader
    course = load_course(ROOT / "course.yaml")
    assignment = course.assignment(AID)
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-nbgrader-"))
    if work.exists():
        shutil.rmtree(work)
    stock = work / "stock"
    stock.mkdir(parents=True)
    say(f"bench_nbgrader: {args.n} notebooks of {AID} (half buggy), {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, load average {loadavg()} at the start")

    (stock / "nbgrader_config.py").write_text(CONFIG.format(root=str(stock)))
    baseline_source(course, assignment, stock / "source" / AID / f"{AID}.ipynb")
    t = time.perf_counter()
    nbgrader(stock, "generate_assignment", AID, "--force")
    say(f"  the stock course: nbgrader generate_assignment {time.perf_counter() - t:.1f} s")
    made = submissions(assignment, stock / "release" / AID / f"{AID}.ipynb",
                       stock / "submitted", args.n)
    say(f"  {len(made)} notebooks: {sum(m is None for m in made.values())} correct, "
        f"{sum(m is not None for m in made.values())} with a mistake")

    grade = [sys.executable, "-m", "autograder", "--course", str(ROOT / "course.yaml"), "grade",
             str(stock / "submitted"), "--jobs", str(args.jobs), "--format", "json",
             "--no-progress"]
    ours_wall, ours = [], None
    for _ in range(args.ours_runs):
        t = time.perf_counter()
        done = subprocess.run(grade, capture_output=True, text=True, cwd=work)
        ours_wall.append(time.perf_counter() - t)
        if done.returncode not in (0, 1):
            say(f"autograder grade failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
            return 1
        ours = json.loads(done.stdout)["submissions"]
    ours_seconds = [s["seconds"] for s in ours]

    t = time.perf_counter()
    log = nbgrader(stock, "autograde", AID, "--force", LOG_FORMAT, timeout=3600)
    nb_wall = time.perf_counter() - t
    spans = notebook_spans(log)

    say(f"\n[1] the whole command, on the same {args.n} notebooks")
    say(f"  autograder grade submitted/ --jobs {args.jobs}   "
        f"{statistics.median(ours_wall):6.1f} s (median of {len(ours_wall)}: "
        f"{', '.join(f'{w:.1f}' for w in ours_wall)})")
    say(f"  nbgrader autograde {AID}          {nb_wall:6.1f} s (one run)")
    say(f"  ratio, whole command / whole command:     "
        f"{nb_wall / statistics.median(ours_wall):6.1f}x")
    say("\n[2] inside: seconds per notebook")
    say(f"  ours, SubmissionResult.seconds (sandbox run, oracle, comparison, diagnosis; "
        f"{args.jobs} at a time): median {statistics.median(ours_seconds):.3f}, "
        f"max {max(ours_seconds):.3f}")
    if spans:
        say(f"  nbgrader, its log from 'Creating/updating student' to the notebook's last step "
            f"(one at a time): median {statistics.median(spans):.2f}, max {max(spans):.2f}; "
            f"start-up and the rest {nb_wall - sum(spans):.1f} s")
        say(f"  ratio of the medians: {statistics.median(spans) / statistics.median(ours_seconds):.0f}x "
            "(internals; not the headline)")

    theirs = nbgrader_scores(stock, made)
    say("\n[3] scores, ours (hidden cases per submission) vs nbgrader (the same checks on fixed "
        "cases), per notebook")
    by_student = {Path(s["path"]).parent.parent.name: s for s in ours}
    disagree, partial = [], 0
    for student, mistake in made.items():
        mine = {p["name"]: p for p in by_student[student]["problems"]}
        rows = []
        for name, score in theirs[student].items():
            p = mine[name]
            full_ours = p["score"] >= p["max_score"] - 1e-9
            full_theirs = score >= p["max_score"] - 1e-9
            if full_ours != full_theirs:
                rows.append(f"{name}: ours {p['score']:g}, nbgrader {score:g}")
            elif abs(p["score"] - score) > 1e-3:
                partial += 1
                rows.append(f"{name}: ours {p['score']:g}, nbgrader {score:g} (partial credit "
                            "on different cases)")
        total_theirs = sum(theirs[student].values())
        mark = "" if not rows else "  <- " + "; ".join(rows)
        say(f"  {student} {mistake or 'correct':34} ours {by_student[student]['score']:6.3f} "
            f"nbgrader {total_theirs:6.3f} / {by_student[student]['max_score']:g}{mark}")
        if any("partial credit" not in r for r in rows):
            disagree.append(student)
    buggy_full = sum(1 for s, m in made.items() if m and sum(theirs[s].values()) >= 13 - 1e-9)
    say(f"\n  buggy notebooks given full marks by nbgrader: {buggy_full} of "
        f"{sum(m is not None for m in made.values())}")
    say(f"  problems where one gives full marks and the other not: "
        f"{'none' if not disagree else ', '.join(disagree)}; partial scores that differ: {partial}")
    say(f"\nload average {loadavg()} at the end")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if disagree:
        print("FAILED: the baseline and the autograder disagree (above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
