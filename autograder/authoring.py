"""Build the nbgrader source notebook of an assignment from what already exists once:
the lesson text (assignments/ID/lesson.LANG.md), the reference solutions (reference/) and
the registry (signatures, points). The committed notebook is this function's output; a test
keeps them in step, so nobody edits the same solution in two places.

In lesson.LANG.md, a line `<!-- problem: NAME -->` marks where NAME's cells go: its solution
cell (the reference code between BEGIN/END SOLUTION), a public self-check cell, and a
locked graded cell whose score the autograder computes outside the student's kernel.

A reference that names functions in `GIVEN = (...)` (05_cnn: the vectorised convolution and
max-pooling layers of 01 and 02) hands them to the student as they are: one locked cell after
the set-up, neither a solution nor graded, run with the student's code like any other cell.

A fenced block opened with ```` ```python cell ```` becomes a plain code cell of its own (a
picture to draw, a place to paste earlier work): not graded, and run like any cell.
"""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.course import Assignment, Course

MARKER = re.compile(r"^<!--\s*problem:\s*(\w+)\s*-->\s*$", re.MULTILINE)
CODE_CELL = re.compile(r"^```python cell[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)

SETUP = """import numpy as np
from autograder import check   # public self-checks; the graded cases stay hidden"""

SELF_CHECK = 'check("{name}", {name})'

GRADED = """# Graded by the autograder on hidden cases, in a sandbox, outside this notebook.
from autograder.notebook import graded
graded("{name}")"""


GIVEN_HEADER = {
    "en": "# Given: the convolution and max-pooling layers of assignments 01 and 02, vectorised so\n"
          "# that training takes seconds. Run this cell; you do not change it.\n",
    "ko": "# 제공 코드: 과제 01, 02의 합성곱(convolution)과 최대 풀링(max pooling) 층을 벡터화해서\n"
          "# 학습이 몇 초 안에 끝나게 했습니다. 이 셀을 실행만 하고 고치지 마세요.\n"}


def _helpers_used(node, helpers: dict) -> list[str]:
    """The private top-level helpers a function needs, transitively, in file order."""
    needed, todo = set(), [node]
    while todo:
        for n in ast.walk(todo.pop()):
            if isinstance(n, ast.Name) and n.id in helpers and n.id not in needed:
                needed.add(n.id)
                todo.append(helpers[n.id])
    return [name for name in helpers if name in needed]


def reference_chunks(path: Path) -> dict[str, str]:
    """Per public function of a reference file, its solution cell: the signature and
    docstring stay (the student's starting point); the body, with the private helpers it
    uses nested at its top, goes between BEGIN/END SOLUTION, which nbgrader replaces with a
    stub. The file's imports are the notebook's set-up cell."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    named = {(n.targets[0].id if isinstance(n, ast.Assign) else n.name): n for n in tree.body
             if isinstance(n, (ast.FunctionDef, ast.Assign))}
    helpers = {name: n for name, n in named.items() if name.startswith("_")}
    chunks = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        first_body = node.body[0]
        has_doc = isinstance(first_body, ast.Expr) and isinstance(getattr(first_body, "value", None),
                                                                   ast.Constant)
        head_end = first_body.end_lineno if has_doc else first_body.lineno - 1
        nested = [textwrap.indent(ast.get_source_segment(source, helpers[h]), "    ")
                  for h in _helpers_used(node, helpers)]
        body = "\n".join(lines[head_end:node.end_lineno])
        chunks[node.name] = "\n".join([*lines[node.lineno - 1:head_end], "    ### BEGIN SOLUTION",
                                        *nested, body, "    ### END SOLUTION"])
    return chunks


def given_code(path: Path) -> str | None:
    """The source of the functions a reference lists in GIVEN, with the private helpers they
    use, in file order; None where it lists none."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    given = next((ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                  and isinstance(n.targets[0], ast.Name) and n.targets[0].id == "GIVEN"), None)
    if not given:
        return None
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    helpers = {name: n for name, n in functions.items() if name.startswith("_")}
    needed = set(given)
    for name in given:
        needed.update(_helpers_used(functions[name], helpers))
    return "\n\n\n".join(ast.get_source_segment(source, n) for n in tree.body
                          if isinstance(n, ast.FunctionDef) and n.name in needed)


def solution_lines(cell: str) -> list[str]:
    """The lines between BEGIN and END SOLUTION: what nbgrader takes out of a released cell."""
    inside, out = False, []
    for line in cell.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            inside = True
        elif line.strip() == "### END SOLUTION":
            inside = False
        elif inside:
            out.append(line)
    return out


def _text_cells(text: str) -> list:
    """A stretch of lesson: markdown cells, and a code cell for each ```python cell block."""
    parts = CODE_CELL.split(text)                   # markdown, code, markdown, ...
    return [new_code_cell(part.rstrip()) if i % 2 else new_markdown_cell(part.strip())
            for i, part in enumerate(parts) if part.strip()]


def _meta(kind: str, name: str, points: float | None = None) -> dict:
    meta = {"grade": kind == "test", "solution": kind == "solution", "locked": kind != "solution",
            "grade_id": f"{kind}_{name}", "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def build_notebook(course: Course, assignment: Assignment, lang: str | None = None):
    """The instructor's source notebook for `assignment`, in `lang` (default: the course's)."""
    lang = lang or course.language
    lesson_path = course.root / "assignments" / assignment.id / f"lesson.{lang}.md"
    lesson = lesson_path.read_text(encoding="utf-8")
    solutions = reference_chunks(assignment.reference)
    parts = MARKER.split(lesson)              # text, name, text, name, ..., text
    names = parts[1::2]
    expected = [gp.name for gp in assignment.problems]
    if names != expected:
        raise ValueError(f"{lesson_path}: problem markers {names} must be exactly {expected}")
    cells = [*_text_cells(parts[0]), new_code_cell(SETUP, metadata=_meta("setup", assignment.id))]
    cells[-1].metadata["nbgrader"].update(grade=False, solution=False)
    given = given_code(assignment.reference)
    if given is not None:
        cells.append(new_code_cell(GIVEN_HEADER[lang] + given, metadata=_meta("given", assignment.id)))
        cells[-1].metadata["nbgrader"].update(grade=False, solution=False)
    for name, text in zip(names, parts[2::2]):
        gp = assignment.problem(name)
        cells.append(new_code_cell(solutions[name], metadata=_meta("solution", name)))
        cells.append(new_code_cell(SELF_CHECK.format(name=name)))
        cells.append(new_code_cell(GRADED.format(name=name), metadata=_meta("test", name, gp.points)))
        cells.extend(_text_cells(text))
    for i, cell in enumerate(cells):
        cell["id"] = f"{assignment.id}-{i:02d}"
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    return nb


def notebook_path(course: Course, assignment: Assignment) -> Path:
    return course.root / "assignments" / assignment.id / f"{assignment.id}.ipynb"


def write_notebook(course: Course, assignment: Assignment) -> Path:
    path = notebook_path(course, assignment)
    nbformat.write(build_notebook(course, assignment), str(path))
    return path


def is_current(course: Course, assignment: Assignment) -> bool:
    """Whether the committed notebook is what build_notebook makes now."""
    path = notebook_path(course, assignment)
    return path.is_file() and nbformat.read(str(path), as_version=4) == build_notebook(course, assignment)
