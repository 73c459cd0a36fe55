"""Turn a submitted file into the Python source the sandbox runs.

A notebook contributes its code cells in order, except nbgrader's graded test cells (they
belong to the instructor, and the grade never comes from them). IPython-only lines (`%magic`,
`!shell`) are commented out so that the rest still runs as plain Python.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

SUFFIXES = (".ipynb", ".py")
_IPYTHON_LINE = re.compile(r"^(\s*)([%!?].*)$", re.MULTILINE)


class SubmissionError(Exception):
    """The file cannot be read as a submission; the message names the file and the problem."""


@dataclass(frozen=True)
class Submission:
    path: Path
    cells: tuple[tuple[int, str], ...]      # (cell index, Python source); a .py file is one cell


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def notebook_cells(nb) -> tuple[tuple[int, str], ...]:
    """The code cells of a notebook, in order, as plain Python."""
    chunks = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code" or _is_test_cell(cell):
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        chunks.append((index, _IPYTHON_LINE.sub(r"\1pass  # \2", source)))
    return tuple(chunks)


def read_submission(path: Path | str) -> Submission:
    """Read a .ipynb or .py submission; SubmissionError says what is wrong with it."""
    path = Path(path)
    if path.suffix not in SUFFIXES:
        raise SubmissionError(f"{path}: not a .ipynb or .py file")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SubmissionError(f"{path}: cannot read ({e.strerror})") from None
    if not raw.strip():
        raise SubmissionError(f"{path}: the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError(f"{path}: not a text file (is it binary?)") from None
    if path.suffix == ".py":
        return Submission(path, ((0, text),))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SubmissionError(f"{path}: broken notebook JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise SubmissionError(f"{path}: not a Jupyter notebook (no list of cells)")
    major = data.get("nbformat")
    if major != 4:
        raise SubmissionError(f"{path}: notebook format version {major!r} is not supported "
                              "(save it with Jupyter as nbformat 4)")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as e:  # nbformat raises several unrelated types for malformed files
        raise SubmissionError(f"{path}: unreadable notebook ({type(e).__name__}: {e})") from None
    return Submission(path, notebook_cells(nb))
