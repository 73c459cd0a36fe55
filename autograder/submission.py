"""Turn a submitted file into the Python source the sandbox runs.

A notebook contributes its code cells in order, except nbgrader's graded test cells (they
belong to the instructor, and the grade never comes from them). The lines IPython itself would
run as magics or shell escapes (`%magic`, `!shell`, `x = !cmd`, read by IPython's own input
transformer) are commented out so that the rest still runs as plain Python; a continuation
line that starts with `%` or `!=` is Python and stays.

A submission is a regular file, never a link: it is opened with O_NOFOLLOW (no gap between a
check and the read), anything but a regular file (a FIFO, a device) is refused without
blocking, and so is a file over MAX_BYTES. A hostile file (deep nesting, odd types) is that
file's SubmissionError, never an exception that stops a batch.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path


SUFFIXES = (".ipynb", ".py")
MAX_BYTES = 20 * 1024 * 1024               # a notebook with pictures is a few MB
# A line IPython reads as a magic or shell escape, when it starts a logical line (the fallback
# rule where IPython is not importable): `%`, `!` (not `!=`), `?`, or `x = !cmd` / `x = %magic`.
_IPYTHON_LINE = re.compile(r"^\s*([%?]|!(?!=)|[\w.]+\s*=\s*[%!](?!=))")
_HELP_LINE = re.compile(r"^\s*[\w.]+\?{1,2}\s*$")
# cell magics whose body is Python: the body still runs, only the magic line is neutralised
_PYTHON_CELL_MAGICS = ("time", "timeit", "capture", "prun")


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
        chunks.append((index, plain_python(source)))
    return tuple(chunks)


def _neutralised(line: str, first: bool) -> str:
    body = line.lstrip()
    indent = line[:len(line) - len(body)]
    return f"{indent}pass  # {body}" if first else f"{indent}# {body}"


def _open_brackets(lines: list[str]) -> list[bool]:
    """For each line, whether it continues a logical line (an open bracket, a backslash or an
    open triple-quoted string before it): a rough tokenizer for the fallback rule."""
    out, depth, quote, backslash = [], 0, None, False
    for line in lines:
        out.append(depth > 0 or quote is not None or backslash)
        i, backslash = 0, False
        while i < len(line):
            ch = line[i]
            if quote:
                if ch == "\\":
                    i += 2
                    continue
                if line.startswith(quote, i):
                    i, quote = i + len(quote), None
                    continue
            elif ch == "#":
                break
            elif line.startswith(('"""', "'''"), i):
                quote, i = line[i:i + 3], i + 3
                continue
            elif ch in "\"'":
                quote = ch
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(0, depth - 1)
            i += 1
        if quote in ('"', "'"):
            quote = None                       # a one-line string never spans lines
        backslash = line.rstrip().endswith("\\") and quote is None
    return out


# What can make IPython's input transformer change a line (a superset): `?` anywhere; `%` or
# `!` starting a line or after `=` (`x = !ls`; `t % k` and `!=` are plain Python); a line
# starting with a quote/paren escape or a prompt; a first line that is blank or indented, or
# a line of only spaces (its cleanup strips and dedents); a line break that str.splitlines
# knows and "\n" does not. A cell with none of them is left alone without importing IPython
# (a tenth of a second of every single grade).
_MAY_CHANGE = re.compile(r"[?\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|^\s*[%!]|=[\s\\]*[%!]"
                         r"|^\s*(?:[,;/]|>>>|In \[|\[(?:nav|ins)\]|\.{3,}\s*:)|^[ \t]+$", re.M)


def _may_change(lines: list[str]) -> bool:
    if all(not line for line in lines):
        return False
    return not lines[0].strip() or lines[0][:1].isspace() or bool(
        _MAY_CHANGE.search("\n".join(lines)))


def _magic_lines(lines: list[str]) -> set[int]:
    """The indices of the lines IPython would run as magics, shell escapes or help: with
    IPython's own input transformer where it is importable, else with the same rules."""
    if not _may_change(lines):
        return set()
    source = "\n".join(lines) + "\n"
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        transformed = TransformerManager().transform_cell(source).splitlines()
    except Exception:                          # no IPython, or a cell it cannot tokenize
        continued = _open_brackets(lines)
        return {i for i, line in enumerate(lines)
                if not continued[i] and (_IPYTHON_LINE.match(line) or _HELP_LINE.match(line))}
    import difflib
    changed = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, lines, transformed,
                                                     autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            changed.update(range(i1, i2))
    # IPython also empties whitespace-only lines: nothing to neutralise there, and a `pass`
    # indented like them could break the block around them
    return {i for i in changed if lines[i].strip()}


def plain_python(source: str) -> str:
    """A cell as plain Python: each line IPython would treat as a magic, shell escape or help
    request becomes `pass  # ...` (the lines it continues, `# ...`), nothing else changes, and
    the line count stays the same. A cell magic comments out its whole cell unless its body is
    Python (`%%time`, `%%timeit`, `%%capture`, `%%prun`)."""
    lines = source.split("\n")
    head = next((i for i, line in enumerate(lines) if line.strip()), None)
    if head is not None and lines[head].lstrip().startswith("%%"):
        magic = lines[head].lstrip()[2:].split(maxsplit=1)
        body = "\n".join(lines[head + 1:])
        if magic and magic[0] in _PYTHON_CELL_MAGICS:
            return "\n".join(lines[:head] + [_neutralised(lines[head], True), plain_python(body)])
        return "\n".join(lines[:head] + [_neutralised(line, i == 0) if line.strip() else line
                                          for i, line in enumerate(lines[head:])])
    magic = sorted(_magic_lines(lines))
    out = list(lines)
    for i in magic:
        first = i - 1 not in magic or not lines[i - 1].rstrip().endswith("\\")
        out[i] = _neutralised(lines[i], first)
    return "\n".join(out)


def read_file(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file that is not a symbolic link, at most `limit` of them.
    The checks are made on the open descriptor, so the file read is the file checked."""
    path = Path(path)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == getattr(os, "ELOOP", None) or os.path.islink(path):
            raise SubmissionError(f"{path}: is a symbolic link; submit the file itself") from None
        raise SubmissionError(f"{path}: cannot read ({e.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionError(f"{path}: not a regular file")
        if info.st_size > limit:
            raise SubmissionError(f"{path}: too large ({info.st_size / 2**20:.1f} MB; "
                                  f"the limit is {limit / 2**20:g} MB)")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:                   # it grew after the check
            raise SubmissionError(f"{path}: too large (the limit is {limit / 2**20:g} MB)")
        return b"".join(chunks)
    except OSError as e:
        raise SubmissionError(f"{path}: cannot read ({e.strerror})") from None
    finally:
        os.close(fd)


def read_submission(path: Path | str) -> Submission:
    """Read a .ipynb or .py submission; SubmissionError says what is wrong with it."""
    path = Path(path)
    if path.suffix not in SUFFIXES:
        raise SubmissionError(f"{path}: not a .ipynb or .py file")
    raw = read_file(path)
    try:
        return _parse(path, raw)
    except SubmissionError:
        raise
    except (RecursionError, MemoryError):
        raise SubmissionError(f"{path}: too deeply nested or too large to read") from None
    except Exception as e:                 # a hostile file is its own error, never the batch's
        raise SubmissionError(f"{path}: unreadable ({type(e).__name__})") from None


def _parse(path: Path, raw: bytes) -> Submission:
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
    except RecursionError:
        raise SubmissionError(f"{path}: broken notebook JSON (nested too deeply)") from None
    except json.JSONDecodeError as e:
        raise SubmissionError(f"{path}: broken notebook JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise SubmissionError(f"{path}: not a Jupyter notebook (no list of cells)")
    major = data.get("nbformat")
    if major != 4:
        raise SubmissionError(f"{path}: notebook format version {major!r} is not supported "
                              "(save it with Jupyter as nbformat 4)")
    if not all(isinstance(cell, dict) for cell in data["cells"]):
        raise SubmissionError(f"{path}: unreadable notebook (a cell is not an object)")
    return Submission(path, notebook_cells(data))     # plain JSON: no nbformat import to pay
