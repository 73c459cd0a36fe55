"""The public cases of an assignment and the oracle's answers to them, shipped inside the
released notebook, so that `check()` needs neither PyTorch nor the course.

Why in the notebook and not in a file beside it: the notebook is the one file that goes
everywhere a student takes it (nbgrader's fetch, a Gradescope upload, a GitHub Classroom
repository, a laptop). Public cases come from the fixed public seed, so nothing in here is
secret: the same values `check()` computes with PyTorch from the registry, computed once at
`autograder release`. The notebook's metadata key `autograder` holds, next to the data, the
notebook's language and the course's public-case settings (seed, tolerance, forbidden imports).

In the kernel the notebook is found without being named: the path Jupyter gives the kernel
(`JPY_SESSION_NAME`, `__session__`, VS Code's `__vsc_ipynb_file__`), else the notebooks in the
working folder (Jupyter starts a kernel in its notebook's folder). A case set read from here
has the interface of `oracle.CaseSet` (cases, expected, mimicked, parts, devices), so grading's
`score_problem` and the diagnosis run on it unchanged.
"""
from __future__ import annotations

import base64
import builtins
import json
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.registry import Case, Misconception, Problem, Tol

KEY = "autograder"          # the notebook metadata key
FORMAT = 1


# ---------------------------------------------------------------- values <-> JSON
def encode(value):
    """A case argument or an output as JSON: arrays as raw little-endian bytes in base64
    (exact, and a fraction of the size of decimal text), tuples and dicts tagged."""
    if isinstance(value, (np.ndarray, np.generic)):
        a = np.asarray(value)
        if a.dtype.kind not in "biuf":
            raise TypeError(f"cannot ship an array of dtype {a.dtype}")
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        return {"a": a.dtype.str, "s": list(a.shape),
                "b": base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii"),
                **({"0": 1} if isinstance(value, np.generic) else {})}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"f": repr(value)}
    if isinstance(value, tuple):
        return {"t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"d": {str(k): encode(v) for k, v in value.items()}}
    raise TypeError(f"cannot ship a value of type {type(value).__name__}")


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "a" in value:
        a = np.frombuffer(base64.b64decode(value["b"]), dtype=np.dtype(value["a"]))
        a = a.reshape(value["s"]).astype(a.dtype.newbyteorder("="))     # native, writable
        return a[()] if value.get("0") else a
    if "t" in value:
        return tuple(decode(v) for v in value["t"])
    if "d" in value:
        return {k: decode(v) for k, v in value["d"].items()}
    if "f" in value:
        return float(value["f"])
    raise ValueError(f"not shipped data: {sorted(value)}")


# ---------------------------------------------------------------- release: build the data
def problem_data(gp, seed: int) -> dict:
    """One graded problem's public cases and every answer check() compares with: the
    oracle's, each misconception's, each family's units (computed with PyTorch, here only)."""
    from autograder import oracle
    problem = gp.problem
    cases = oracle.public_cases(problem, seed)
    # a judged case (05_cnn's full training, registry.Case.judge) stays out: its answer is a
    # measure the grader takes, not values to ship; check() in a released notebook runs the rest
    shipped = [c for c in cases.cases if c.judge is None]
    valued = [c.name for c in shipped if c.raises is None]
    parts = {}
    for m in problem.misconceptions:
        found = {name: cases.parts(m.name, name) for name in valued}
        if any(v is not None for v in found.values()):
            parts[m.name] = {name: {"unit": v[0], "outputs": {k: [encode(a) for a in arrays]
                                                           for k, arrays in v[1].items()}}
                             for name, v in found.items() if v is not None}
    tol = gp.tolerance["float64"]
    return {
        "signature": problem.signature, "outputs": list(problem.outputs),
        "packed": problem.packed, "float32": problem.float32,
        "returns": None if problem.returns is None else [None if k is None else list(k)
                                                         for k in problem.returns],
        "tolerance": {"rtol": tol.rtol, "atol": tol.atol},
        "misconceptions": [{"name": m.name, "text": dict(m.text)} for m in problem.misconceptions],
        "cases": [{"name": c.name, "args": encode(tuple(c.args)),
                   "raises": c.raises.__name__ if c.raises is not None else None}
                  for c in shipped],
        "expected": {k: [encode(a) for a in v] for k, v in cases.expected("float64", "cpu").items()},
        "mimicked": {m.name: {k: [encode(a) for a in v] for k, v in cases.mimicked(m.name).items()}
                     for m in problem.misconceptions},
        "parts": parts,
    }


def notebook_metadata(course, assignment, lang: str) -> dict:
    """The released notebook's `autograder` metadata: its language, the public-case settings
    and every problem's public data."""
    return {"format": FORMAT, "assignment": assignment.id, "lang": lang,
            "public_seed": course.public_seed,
            "forbidden_imports": list(course.forbidden_imports),
            "order": [gp.name for gp in assignment.problems],
            "problems": {gp.name: problem_data(gp, course.public_seed)
                         for gp in assignment.problems}}


# ---------------------------------------------------------------- the kernel: read it back
def _raises(name: str | None):
    if name is None:
        return None
    found = getattr(builtins, name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else \
        type(name, (Exception,), {})


def _no_generator(rng, hidden):
    raise RuntimeError("a problem read from a released notebook has no case generator: its "
                       "public cases come with the notebook")


def _no_torch(*args):
    raise RuntimeError("a problem read from a released notebook has no oracle: its answers "
                       "come with the notebook")


class ShippedCaseSet:
    """A problem's public cases and the answers released with them: `oracle.CaseSet`'s
    interface, nothing computed."""

    def __init__(self, problem: Problem, seed: int, data: dict):
        self.problem, self.seed, self.hidden = problem, seed, False
        self.cases = tuple(Case(c["name"], decode(c["args"]), _raises(c["raises"]))
                           for c in data["cases"])
        self._expected = {k: tuple(decode(a) for a in v) for k, v in data["expected"].items()}
        self._mimicked = {m: {k: tuple(decode(a) for a in v) for k, v in by_case.items()}
                          for m, by_case in data["mimicked"].items()}
        self._parts = data["parts"]

    def devices(self, wanted=("cpu",)) -> tuple[str, ...]:
        return ("cpu",)                   # the answers were computed on the CPU, in float64

    def expected(self, dtype: str, device: str) -> dict[str, tuple[np.ndarray, ...]]:
        if dtype != "float64" or device != "cpu":
            raise KeyError(f"{self.problem.name}: the notebook ships float64 cpu answers only")
        return self._expected

    def mimicked(self, misconception: str) -> dict[str, tuple[np.ndarray, ...]]:
        return self._mimicked.get(misconception, {})

    def parts(self, misconception: str, case: str):
        found = self._parts.get(misconception, {}).get(case)
        if found is None:
            return None
        return found["unit"], {k: [decode(a) for a in v] for k, v in found["outputs"].items()}


@dataclass(frozen=True, eq=False)
class Released:
    """What a released notebook says about one assignment."""
    path: Path
    assignment: str
    lang: str
    public_seed: int
    forbidden_imports: tuple[str, ...]
    order: tuple[str, ...]
    data: dict
    _sets: dict = field(default_factory=dict, repr=False)     # case sets, decoded once

    def tolerance(self, name: str) -> Tol:
        return Tol(**self.data[name]["tolerance"])

    def case_set(self, name: str) -> ShippedCaseSet:
        """`name`'s public cases and answers, with its registry record as released (its
        signature, outputs and misconceptions' texts: what the reporters read)."""
        if name not in self._sets:
            d = self.data[name]
            problem = Problem(name, self.assignment, d["signature"], _no_generator, _no_torch,
                              outputs=tuple(d["outputs"]), packed=d["packed"],
                              float32=d["float32"], returns=None if d.get("returns") is None
                              else tuple(None if k is None else tuple(k) for k in d["returns"]),
                              misconceptions=tuple(
                                  Misconception(m["name"], m["text"], mimic=_no_torch)
                                  for m in d["misconceptions"]))
            self._sets[name] = ShippedCaseSet(problem, self.public_seed, d)
        return self._sets[name]


def read(path: Path | str) -> Released | None:
    """The `autograder` metadata of the notebook at `path`, or None (not a released notebook,
    unreadable, or of another format)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return None
    key, version = str(path.resolve()), (stat.st_mtime_ns, stat.st_size)
    if key in _read_cache and _read_cache[key][0] == version:      # read again once saved
        return _read_cache[key][1]
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig")).get("metadata", {}).get(KEY)
        found = None if not isinstance(meta, dict) or meta.get("format") != FORMAT else Released(
            path, meta["assignment"], meta["lang"], int(meta["public_seed"]),
            tuple(meta["forbidden_imports"]), tuple(meta["order"]), meta["problems"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        found = None
    _read_cache[key] = (version, found)
    return found


_read_cache: dict[str, tuple[tuple, Released | None]] = {}


def named_notebooks() -> list[Path]:
    """The notebook the kernel was started for, where the front end says so."""
    main = sys.modules.get("__main__")
    names = [os.environ.get("JPY_SESSION_NAME"),
             *(getattr(main, attr, None) for attr in ("__session__", "__vsc_ipynb_file__"))]
    return [Path(n) for n in names if isinstance(n, str) and n.endswith(".ipynb")]


def released_here(folder: Path | None = None) -> list[Released]:
    """The released notebooks of this kernel: the one Jupyter names first, then those in the
    working folder."""
    try:
        here = sorted((folder or Path.cwd()).glob("*.ipynb"))
    except OSError:
        here = []
    found = [read(path) for path in dict.fromkeys([*named_notebooks(), *here])]
    return [r for r in found if r is not None]


def find(name: str, folder: Path | None = None) -> Released | None:
    """The first of released_here() that has problem `name`, or None."""
    return next((r for r in released_here(folder) if name in r.data), None)
