"""Grade the issue-11 corpora and measure the feedback.

tests/corpus/mistakes/<assignment>/<name>.py: a typical student mistake. `LOSES` names the
problem it must lose points on, `SAYS` the words (any of them) a good diagnosis contains; the
code after the marker line is the student's cell. The submission is a notebook: the reference
solution in one cell (the broken function renamed `_ref_<name>`, so the mistake may call it),
the student's cell after it. tests/corpus/correct/<assignment>/<name>.py: a correct
implementation in another style; the same layout without LOSES/SAYS (`REPLACES` names the
functions it defines; `NEEDS` a package it imports, skipped where that is not installed),
graded as a .py file and as a notebook, at full marks.

    .venv/bin/python -m tests.corpus.harness      # prints the figure
"""
from __future__ import annotations

import ast
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MARKER = "# ---- the student's cell\n"
SECRET = b"issue-11-corpus"
ASSIGNMENTS = ("01_convolution", "02_pooling", "03_rnn", "04_lstm", "06_sequences")
# patterns that state a specific defect: said about the wrong defect, they mislead
SPECIFIC = ("channel_offset", "border", "sign", "scaled", "transposed", "permuted", "precision",
            "offset", "outputs_swapped", "fit.", "probe.")


@dataclass(frozen=True)
class Entry:
    path: Path
    assignment: str
    replaces: tuple[str, ...]
    says: tuple[str, ...]              # empty for a correct implementation
    cell: str


def _literals(source: str) -> dict:
    return {t.id: ast.literal_eval(node.value) for node in ast.parse(source).body
            if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name) and t.id in ("LOSES", "SAYS", "REPLACES", "NEEDS")}


def _installed(module: str | None) -> bool:
    import importlib.util
    return module is None or importlib.util.find_spec(module) is not None


def entries(kind: str) -> list[Entry]:
    out = []
    for path in sorted((HERE / kind).glob("*/*.py")):
        text = path.read_text(encoding="utf-8")
        head, cell = text.split(MARKER, 1)
        found = _literals(head)
        if not _installed(found.get("NEEDS")):      # e.g. SciPy, where it is not installed
            continue
        replaces = (found["LOSES"],) if "LOSES" in found else tuple(found["REPLACES"])
        out.append(Entry(path, path.parent.name, replaces, tuple(found.get("SAYS", ())), cell))
    return out


def reference_cell(assignment: str, replaces: tuple[str, ...]) -> str:
    module = {"01_convolution": "convolution", "02_pooling": "pooling", "03_rnn": "rnn",
              "04_lstm": "lstm", "06_sequences": "sequences"}[assignment]
    source = (ROOT / "reference" / f"{module}.py").read_text(encoding="utf-8")
    for name in replaces:
        source = re.sub(rf"^def {name}\(", f"def _ref_{name}(", source, flags=re.MULTILINE)
    return source


def write(entry: Entry, folder: Path, form: str) -> Path:
    cells = [reference_cell(entry.assignment, entry.replaces), entry.cell]
    path = folder / entry.assignment / f"{entry.path.stem}.{form}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if form == "py":
        path.write_text("\n\n".join(cells), encoding="utf-8")
    else:
        nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
             "execution_count": None} for c in cells]}
        path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def grade(jobs: list[tuple[Entry, Path]], course, n_jobs: int = 2) -> list:
    from autograder.grading import grade_file
    from autograder.oracle import use_one_thread
    use_one_thread()

    def one(job):
        entry, path = job
        return entry, path, grade_file(course, course.assignment(entry.assignment), path, SECRET)
    with ThreadPoolExecutor(max_workers=n_jobs) as pool:
        return list(pool.map(one, jobs))


@dataclass(frozen=True)
class Verdict:
    entry: Entry
    loses: bool            # its problem loses points
    keeps: bool            # every other problem keeps them
    described: bool        # the feedback contains one of SAYS
    misleading: bool       # a specific cause is stated, and it is not this one
    feedback: str


def judge(entry: Entry, result) -> Verdict:
    from autograder.report import feedback_lines, minimal_lines, stdout_lines
    by = {p.problem: p for p in result.problems}
    target = by[entry.replaces[0]]
    # the diagnosis only: not the smallest failing case's call and values, nor what was printed
    shown = set(minimal_lines(target, "en")) | set(stdout_lines(target, "en"))
    text = "\n".join(line for line in feedback_lines(target, "en") if line not in shown)
    described = any(word.lower() in text.lower() for word in entry.says)
    specific = target.diagnosis is not None or (
        target.pattern is not None and target.pattern.key.startswith(SPECIFIC))
    return Verdict(entry, target.status != "pass",
                   all(p.status == "pass" for p in result.problems if p.problem != target.problem),
                   described, specific and not described, text)


def figure(verdicts: list[Verdict]) -> str:
    n = len(verdicts)
    described = sum(v.described for v in verdicts)
    lines = [f"mistakes: {n}; lose points on their problem: {sum(v.loses for v in verdicts)}; "
             f"keep them elsewhere: {sum(v.keeps for v in verdicts)}",
             f"named or specifically described: {described}/{n} = {described / max(n, 1):.1%}; "
             f"misleading: {sum(v.misleading for v in verdicts)}"]
    for v in verdicts:
        if not v.described or v.misleading:
            first = v.feedback.splitlines()[0] if v.feedback else ""
            lines.append(f"  {'MISLEADING' if v.misleading else 'silent'}: "
                         f"{v.entry.assignment}/{v.entry.path.stem}: {first[:150]}")
    return "\n".join(lines)


def main() -> None:
    import tempfile
    from autograder.course import load_course
    course = load_course(ROOT / "course.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        mistakes = [(e, write(e, Path(tmp), "ipynb")) for e in entries("mistakes")]
        correct = [(e, write(e, Path(tmp) / form, form)) for e in entries("correct")
                   for form in ("py", "ipynb")]
        graded = grade(mistakes + correct, course)
    verdicts = [judge(e, r) for e, _, r in graded if e.says]
    print(figure(verdicts))
    wrong = [(e, p, r) for e, p, r in graded if not e.says and r.score != r.max_score]
    print(f"correct implementations: {sum(1 for e, _, _ in graded if not e.says)} files "
          f"(.py and .ipynb), below full marks: {len(wrong)}")
    for e, p, r in wrong:
        print(f"  {p.name}: {r.score}/{r.max_score}",
              [(x.problem, x.status, x.mismatches[:1]) for x in r.problems if x.status != "pass"])


if __name__ == "__main__":
    main()
