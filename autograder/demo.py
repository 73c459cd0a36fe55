"""`autograder demo`: release every assignment into a temporary nbgrader course, then grade
the bundled samples: the reference as a filled-in student notebook, and each typical
mistake (examples/mistakes/ID/*.py: the reference with those functions replaced)."""
from __future__ import annotations

import ast
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import batch, report
from autograder.authoring import reference_chunks
from autograder.course import Assignment, Course
from autograder.release import release


@dataclass(frozen=True)
class Sample:
    path: Path
    assignment: Assignment
    breaks: tuple[str, ...]          # the problems it must lose points on
    diagnosis: str | None            # the misconception feedback must name
    # the problems that lose points only because they use the broken one (05_cnn's network
    # uses the student's own layers), with no name required
    also: tuple[str, ...] = ()


def mistakes_dir(course: Course, assignment: Assignment) -> Path:
    return course.root / "examples" / "mistakes" / assignment.id


def literals(path: Path) -> dict:
    """BREAKS, DIAGNOSIS (and ALSO_BREAKS, where given) of a mistake file, read without
    running it."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("BREAKS", "DIAGNOSIS", "ALSO_BREAKS"):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


def fill_notebook(released: Path, assignment: Assignment, dest: Path) -> Path:
    """The released notebook with every solution cell answered by the reference."""
    nb = nbformat.read(str(released), as_version=4)
    solutions = reference_chunks(assignment.reference)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id", "").startswith("solution_"):
            cell.source = solutions[meta["grade_id"][len("solution_"):]]
    nbformat.write(nb, str(dest))
    return dest


def make_samples(course: Course, assignment: Assignment, folder: Path, released: Path | None):
    """Write the samples of one assignment into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    reference = assignment.reference.read_text(encoding="utf-8")
    samples = []
    if released is not None:
        samples.append(Sample(fill_notebook(released, assignment, folder / "reference.ipynb"),
                              assignment, (), None))
    for mistake in sorted(mistakes_dir(course, assignment).glob("*.py")):
        lit = literals(mistake)
        path = folder / mistake.name
        path.write_text(reference + "\n\n# --- the mistake ---\n" + mistake.read_text(encoding="utf-8"),
                        encoding="utf-8")
        samples.append(Sample(path, assignment, tuple(lit.get("BREAKS", ())), lit.get("DIAGNOSIS"),
                              tuple(lit.get("ALSO_BREAKS", ()))))
    return samples


def expectation_problems(sample: Sample, result) -> list[str]:
    """Where a graded sample differs from what it is meant to show (empty: as expected)."""
    wrong = []
    for p in result.problems:
        should_fail = p.problem in sample.breaks or p.problem in sample.also
        if should_fail == (p.status == "pass"):
            wrong.append(f"{p.problem}: {p.status}, expected {'a loss' if should_fail else 'pass'}")
    return wrong


def run_demo(course: Course, lang: str = "en", keep: Path | None = None, jobs: int = 2) -> bool:
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="autograder-demo-"))
    try:
        samples = []
        for a in course.assignments:
            released = release(course, a, root / "nbgrader")
            print(f"released {a.id} -> {released.relative_to(root)}")
            samples += make_samples(course, a, root / "samples" / a.id, released)
        items = [batch.Item(s.path, s.assignment, s.path.stem) for s in samples]
        graded = dict((i.path, r) for i, r in batch.grade_all(course, items, jobs=jobs))
        results = [graded[s.path] for s in samples]
        print()
        print(report.render_text(results, lang))
        surprises = [f"{s.path.name}: {w}" for s in samples
                     for w in expectation_problems(s, graded[s.path])]
        for line in surprises:
            print(f"UNEXPECTED {line}")
        print(f"{len(samples)} samples graded; "
              f"{'every one as expected' if not surprises else f'{len(surprises)} surprises'}")
        return not surprises
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
