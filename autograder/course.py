"""course.yaml: loaded once, validated completely, every mistake reported with its key path."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.registry import DEFAULT_TOLERANCE, Problem, Tol, problems_of, ASSIGNMENT_MODULES

LANGUAGES = ("en", "ko")
DEVICES = ("cpu", "cuda")
DTYPES = ("float64", "float32")


# Which of a student's files for one assignment is the submission (an nbgrader ID folder, a
# cloned repository, an archive, a Gradescope upload): the first pattern that matches; `{id}`
# is the assignment id. Other files (a student's helpers, a template's tests) are not graded.
DEFAULT_SUBMISSION_FILES = ("{id}.*", "*.ipynb", "*")

REPLACED_SEED = ("the hidden seed was replaced by the course secret: delete this key and make "
                 "the secret with `autograder secret` (hidden cases are now drawn per submission)")


class CourseError(Exception):
    """course.yaml is malformed; `problems` lists every mistake as 'key.path: message'."""

    def __init__(self, path: Path, problems: list[str]):
        self.path, self.problems = path, problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class GradedProblem:
    """A registry problem as this course grades it: points, tolerance, devices. (Its hidden
    cases are seeded per submission from the course secret: autograder/secret.py.)"""
    problem: Problem
    points: float
    tolerance: dict[str, Tol]
    devices: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.problem.name


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    problems: tuple[GradedProblem, ...]
    reference: Path
    timeout_s: float | None = None      # limits.timeout_s of this assignment (05_cnn trains)

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.problems)

    def problem(self, name: str) -> GradedProblem:
        for p in self.problems:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class Course:
    root: Path
    name: str
    language: str
    public_seed: int
    timeout_s: float
    memory_mb: int
    forbidden_imports: tuple[str, ...]
    assignments: tuple[Assignment, ...] = field(default=())
    allowed_packages: tuple[str, ...] = ("numpy", "scipy")
    unsafe_no_sandbox: bool = False     # set by `--unsafe-no-sandbox`, never by course.yaml
    submission_files: tuple[str, ...] = DEFAULT_SUBMISSION_FILES

    @property
    def policy(self):
        """What a submission may use in the sandbox (autograder.isolation.Policy)."""
        from autograder.isolation import Policy
        return Policy(allowed_packages=self.allowed_packages, forbidden=self.forbidden_imports,
                      memory_mb=self.memory_mb, unsafe=self.unsafe_no_sandbox,
                      timeout_s=self.timeout_s)

    def policy_for(self, assignment: Assignment):
        """The policy a submission of `assignment` runs under: the course's, with the
        assignment's own time limit where it sets one."""
        import dataclasses
        policy = self.policy
        return policy if assignment.timeout_s is None else \
            dataclasses.replace(policy, timeout_s=assignment.timeout_s)

    def assignment(self, ident: str) -> Assignment:
        for a in self.assignments:
            if a.id == ident:
                return a
        raise KeyError(f"unknown assignment {ident!r}; this course has: "
                       f"{', '.join(a.id for a in self.assignments)}")


def find_course_file(start: Path | None = None) -> Path:
    """$AUTOGRADER_COURSE, else course.yaml in the working folder or above, else the bundled one."""
    if os.environ.get("AUTOGRADER_COURSE"):
        return Path(os.environ["AUTOGRADER_COURSE"])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "course.yaml").is_file():
            return folder / "course.yaml"
    return Path(__file__).resolve().parent.parent / "course.yaml"


class _Checker:
    """Collects 'key.path: message' problems instead of stopping at the first."""

    def __init__(self):
        self.problems: list[str] = []

    def fail(self, key: str, message: str):
        self.problems.append(f"{key}: {message}")

    def mapping(self, value, key) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"must be a mapping, got {type(value).__name__}")
            return {}
        return value

    def unknown(self, value: dict, allowed: set[str], key: str):
        for k in value:
            if k not in allowed:
                self.fail(f"{key}.{k}" if key else str(k),
                          f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def number(self, value, key, *, positive=False, integer=False, default=None):
        if value is None:
            if default is None:
                self.fail(key, "is required")
            return default
        ok = isinstance(value, int if integer else (int, float)) and not isinstance(value, bool)
        if not ok or (positive and value <= 0) or (not positive and value < 0):
            kind = "integer" if integer else "number"
            self.fail(key, f"must be a {'positive' if positive else 'non-negative'} {kind}, "
                           f"got {value!r}")
            return default
        return value

    def choice(self, value, options, key, default):
        if value is None:
            return default
        if value not in options:
            self.fail(key, f"must be one of {', '.join(options)}, got {value!r}")
            return default
        return value

    def tolerance(self, value, key) -> dict[str, Tol]:
        tol = dict(DEFAULT_TOLERANCE)
        for dtype, t in self.mapping(value, key).items():
            if dtype not in DTYPES:
                self.fail(f"{key}.{dtype}", f"must be one of {', '.join(DTYPES)}")
                continue
            t = self.mapping(t, f"{key}.{dtype}")
            self.unknown(t, {"rtol", "atol"}, f"{key}.{dtype}")
            tol[dtype] = Tol(
                rtol=self.number(t.get("rtol"), f"{key}.{dtype}.rtol", default=tol[dtype].rtol),
                atol=self.number(t.get("atol"), f"{key}.{dtype}.atol", default=tol[dtype].atol))
        return tol

    def devices(self, value, key, default) -> tuple[str, ...]:
        if value is None:
            return default
        if not isinstance(value, list) or not value or any(d not in DEVICES for d in value):
            self.fail(key, f"must be a non-empty list drawn from {', '.join(DEVICES)}, got {value!r}")
            return default
        if "cpu" not in value:
            self.fail(key, "must include cpu (the oracle always runs there)")
        return tuple(value)


def load_course(path: Path | str | None = None) -> Course:
    """Parse and validate course.yaml; raise CourseError naming every mistake."""
    import yaml                 # here: check() in a student's kernel imports this module without it
    path = Path(path) if path else find_course_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise CourseError(path, [f"cannot read: {e.strerror}"]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise CourseError(path, [f"{where}: not valid YAML ({getattr(e, 'problem', e)})"]) from None
    c = _Checker()
    data = c.mapping(data, "(top level)")
    c.unknown(data, {"course", "language", "devices", "seeds", "limits", "forbidden_imports",
                     "allowed_packages", "gradescope",      # gradescope: autograder/gradescope.py
                     "submission_files", "assignments"}, "")
    name = data.get("course")
    if not isinstance(name, str) or not name.strip():
        c.fail("course", "must be the course name (a non-empty string)")
    language = c.choice(data.get("language"), LANGUAGES, "language", "en")
    devices = c.devices(data.get("devices"), "devices", ("cpu", "cuda"))
    seeds = c.mapping(data.get("seeds", {}), "seeds")
    if "hidden" in seeds:
        c.fail("seeds.hidden", REPLACED_SEED)
    c.unknown({k: v for k, v in seeds.items() if k != "hidden"}, {"public"}, "seeds")
    public_seed = c.number(seeds.get("public"), "seeds.public", integer=True, default=0)
    limits = c.mapping(data.get("limits", {}), "limits")
    c.unknown(limits, {"timeout_s", "memory_mb"}, "limits")
    timeout_s = c.number(limits.get("timeout_s"), "limits.timeout_s", positive=True, default=10.0)
    memory_mb = c.number(limits.get("memory_mb"), "limits.memory_mb", positive=True, integer=True,
                         default=2048)
    forbidden = data.get("forbidden_imports", ["torch"])
    if not isinstance(forbidden, list) or not all(isinstance(m, str) and m for m in forbidden):
        c.fail("forbidden_imports", f"must be a list of module names, got {forbidden!r}")
        forbidden = ["torch"]
    allowed = data.get("allowed_packages", ["numpy", "scipy"])
    if not isinstance(allowed, list) or not all(isinstance(m, str) and m for m in allowed):
        c.fail("allowed_packages", f"must be a list of package names, got {allowed!r}")
        allowed = ["numpy"]
    elif "numpy" not in allowed:
        c.fail("allowed_packages", "must include numpy (the assignments are written with it)")
    submission_files = _submission_files(c, data.get("submission_files"))
    raw_assignments = data.get("assignments")
    if not isinstance(raw_assignments, list) or not raw_assignments:
        c.fail("assignments", "must be a non-empty list")
        raw_assignments = []
    assignments, seen = [], set()
    for i, raw in enumerate(raw_assignments):
        key = f"assignments[{i}]"
        a = _assignment(c, raw, key, path.parent, devices)
        if a is not None:
            if a.id in seen:
                c.fail(f"{key}.id", f"duplicate assignment {a.id!r}")
            seen.add(a.id)
            assignments.append(a)
    if c.problems:
        raise CourseError(path, c.problems)
    return Course(path.parent.resolve(), name.strip(), language, public_seed, float(timeout_s),
                  int(memory_mb), tuple(dict.fromkeys(["torch", *forbidden])), tuple(assignments),
                  tuple(dict.fromkeys(a for a in allowed if a not in ("torch",))),
                  submission_files=submission_files)


def _submission_files(c: _Checker, value) -> tuple[str, ...]:
    """File name patterns (fnmatch, `{id}` the assignment id), tried in order."""
    if value is None:
        return DEFAULT_SUBMISSION_FILES
    if not isinstance(value, list) or not value:
        c.fail("submission_files", f"must be a non-empty list of file name patterns, got {value!r}")
        return DEFAULT_SUBMISSION_FILES
    ok = True
    for i, pattern in enumerate(value):
        key = f"submission_files[{i}]"
        if not isinstance(pattern, str) or not pattern or "/" in pattern or "\\" in pattern:
            c.fail(key, f"must be a file name pattern such as '{{id}}.ipynb', got {pattern!r}")
            ok = False
            continue
        try:
            pattern.format(id="x")
        except (KeyError, IndexError, ValueError):
            c.fail(key, f"{{id}} (the assignment id) is the only placeholder, got {pattern!r}")
            ok = False
    return tuple(value) if ok else DEFAULT_SUBMISSION_FILES


def _assignment(c: _Checker, raw: Any, key: str, root: Path, devices):
    raw = c.mapping(raw, key)
    if not raw:
        return None
    c.unknown(raw, {"id", "title", "problems", "reference", "limits"}, key)
    limits = c.mapping(raw.get("limits", {}), f"{key}.limits")
    c.unknown(limits, {"timeout_s"}, f"{key}.limits")
    timeout_s = c.number(limits.get("timeout_s"), f"{key}.limits.timeout_s", positive=True,
                         default=None) if "timeout_s" in limits else None
    ident = raw.get("id")
    if ident not in ASSIGNMENT_MODULES:
        c.fail(f"{key}.id", f"must name a known assignment ({', '.join(ASSIGNMENT_MODULES)}), "
                            f"got {ident!r}")
        return None
    registry = {p.name: p for p in problems_of(ident)}
    reference = root / raw.get("reference", f"reference/{ident.split('_', 1)[1]}.py")
    if not reference.is_file():
        c.fail(f"{key}.reference", f"file not found: {reference}")
    raw_problems = c.mapping(raw.get("problems"), f"{key}.problems")
    graded = []
    for pname, spec in raw_problems.items():
        pkey = f"{key}.problems.{pname}"
        if pname not in registry:
            c.fail(pkey, f"no such problem in {ident} (known: {', '.join(registry)})")
            continue
        spec = c.mapping(spec, pkey)
        if "seed" in spec:
            c.fail(f"{pkey}.seed", REPLACED_SEED)
        c.unknown({k: v for k, v in spec.items() if k != "seed"}, {"points", "tolerance", "devices"},
                  pkey)
        graded.append(GradedProblem(
            registry[pname],
            points=float(c.number(spec.get("points"), f"{pkey}.points", positive=True, default=1)),
            tolerance=c.tolerance(spec.get("tolerance", {}), f"{pkey}.tolerance"),
            devices=c.devices(spec.get("devices"), f"{pkey}.devices", devices)))
    missing = [n for n in registry if n not in raw_problems]
    if raw_problems and missing:
        c.fail(f"{key}.problems", f"missing problems: {', '.join(missing)}")
    order = list(registry)
    graded.sort(key=lambda g: order.index(g.name))
    return Assignment(ident, str(raw.get("title", ident)), tuple(graded), reference,
                      None if timeout_s is None else float(timeout_s))
