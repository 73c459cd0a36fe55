"""Hostile and broken submissions for 01_convolution, graded in one batch: the grader never
crashes, the batch finishes, every submission gets the grade it deserves (a hostile addition
to correct code keeps the points of the problems it does not break), and nothing outside the
sandbox changes: no file appears, no connection arrives, no secret leaks, no signal reaches
the grader, no process outlives its sandbox.

The corpus:
- `cases/NAME.py`: the hostile part of a submission. Unless the case says `base="as_is"`, it
  is appended to the hidden reference (read from the course at test time, never copied here),
  so every problem it does not attack must still pass. `{{PLACEHOLDERS}}` are filled in at test
  time (the course folder, a port the test listens on, a marker for files and processes).
- `broken/`: files that cannot be read as a submission.
- `BUILT`: notebooks and encodings made from the reference at test time.
Every expected outcome is in `CASES` below.

A case the sandbox does not defend against yet is `xfail(strict=True)`: it turns into a failure
the day the sandbox is fixed, and then the marker goes.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import os
import signal
import socket
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import sandbox
from autograder.batch import Item, grade_all, to_record
from autograder.course import load_course

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES_DIR, BROKEN_DIR = HERE / "cases", HERE / "broken"
ASSIGNMENT = "01_convolution"
PROBLEMS = ("conv_output_size", "zero_pad", "conv2d_single", "conv2d_multi", "conv_forward",
            "conv_backward")
TIMEOUT_S = 2.0
JOBS = 2

MARKER = f"adv{uuid.uuid4().hex[:12]}"          # names of the files and processes cases create
SECRET = uuid.uuid4().hex + uuid.uuid4().hex     # the course secret: 256 bits of hex
# Set while pytest collects, i.e. before any test starts a sandboxed fork server: it must reach
# neither the fork server's environment nor any child's.
os.environ["AUTOGRADER_SECRET"] = SECRET

# Folders a case tries to leave files in (write_tmp.py, write_course_root.py).
TMP_TARGETS = ("/tmp", "/var/tmp", "/dev/shm", "/root", os.path.expanduser("~"))
ROOT_TARGETS = (ROOT, ROOT / "autograder", ROOT / "reference", ROOT / "tests")
# A Unix socket outside /tmp, like a system service's (network_unix_socket.py).
SOCKET_DIR = "/var/tmp" if os.access("/var/tmp", os.W_OK) else tempfile.gettempdir()

# The sandbox (bubblewrap, user namespaces) isolates as root and as any other user; where it
# cannot be set up the grader refuses to grade (fail closed), and so is this module skipped.

TIME = ("time limit",)
ANY_DEATH = ("time limit", "MemoryError", "memory", "SIGSEGV", "killed", "exited", "RecursionError")


# ------------------------------------------------------------------ the expected outcomes
@dataclass(frozen=True)
class Case:
    name: str
    source: str                         # cases/NAME.py, broken/FILE, or "@builder"
    base: str = "reference"             # "reference": appended to it; "as_is": graded alone
    filename: str | None = None         # the name it is graded under (default: the source's)
    zero: tuple[str, ...] = ()          # problems that must earn nothing
    words: dict = field(default_factory=dict)   # problem -> any of these in its error/mismatches
    free: tuple[str, ...] = ()          # problems whose grade is not checked
    score: float | None = None          # the exact total
    error: tuple[str, ...] = ()         # any of these in SubmissionResult.error (file unreadable)
    notes: tuple[str, ...] = ()         # each of these in the notes (cells that raised)
    check: Callable | None = None       # check(batch, result): what must not happen outside
    needs: str | None = None            # the isolation the case attacks (documentation only)
    bomb: bool = False                  # graded only where a probe shows a process cap
    xfail: str | None = None            # why the sandbox does not defend against it yet

    @property
    def others_pass(self) -> tuple[str, ...]:
        return tuple(p for p in PROBLEMS if p not in self.zero and p not in self.free)


def zero(*problems, words=(), **kw):
    """Those problems earn nothing, each with an error / mismatch containing one of `words`;
    every other problem passes."""
    problems = problems or PROBLEMS
    return dict(zero=problems, words={p: words for p in problems} if words else {}, **kw)


def unreadable(*words):
    return dict(base="as_is", error=words)


# Side-effect checks (run on the batch's observations, after grading).
def no_files(*paths):
    def check(batch, result):
        made = [str(p) for p in paths if os.path.lexists(p)]
        assert not made, f"the submission created {made}"
    return check


def no_connection(kind):
    def check(batch, result):
        assert not batch.received[kind], f"the {kind} listener got {batch.received[kind]}"
    return check


def no_escaped_process(batch, result):
    assert "daemon started" in result.stdout, "the attack did not even start"
    assert not batch.escaped, f"processes outlived the sandbox: {batch.escaped}"


def no_signal(batch, result):
    assert not batch.signals, f"the grader received {batch.signals}"


def secret_hidden(batch, result):
    assert SECRET not in result.stdout
    assert not batch.secret_in_forkserver, "the sandbox's fork server has the secret in its environment"


def reference_not_shown(batch, result):
    lines = [ln.strip() for ln in batch.reference_source.splitlines() if len(ln.strip()) > 30]
    shown = [ln for ln in lines if ln in result.stdout]
    assert not shown, f"the reference leaked into stdout: {shown[:3]}"
    assert SECRET not in result.stdout, "the course secret leaked"


def fake_score_ignored(batch, result):
    written = json.loads((batch.out_dir / "fake_score" / ASSIGNMENT / "results.json").read_text())
    assert written["score"] == 9 and written["max_score"] == 13
    assert "Score: 13/13" in result.stdout                    # shown to the student, never parsed
    assert not (batch.folder / "fake_score" / "results.json").exists()
    assert not (batch.folder / "results.json").exists()


def stdout_bounded(batch, result):
    assert "x" * 1000 in result.stdout and len(result.stdout) <= 50_000


def record_written(batch, result):
    written = json.loads((batch.out_dir / "제출 파일" / ASSIGNMENT / "results.json").read_text())
    assert written["score"] == 13


CASES = [
    # ---- hangs: the call (or the load) runs into the time limit
    Case("loop_python", "loop_python.py", **zero("zero_pad", words=TIME)),
    Case("loop_sleep", "loop_sleep.py", **zero("conv2d_single", words=TIME)),
    Case("loop_signal_pause", "loop_signal_pause.py", **zero("conv2d_multi", words=TIME)),
    Case("loop_linalg", "loop_linalg.py", **zero("conv_forward", words=TIME)),
    Case("hang_at_load", "hang_at_load.py", **zero(words=TIME), notes=("while loading",)),
    # ---- memory
    Case("memory_bytearray", "memory_bytearray.py", **zero("conv2d_single", words=("MemoryError",))),
    Case("memory_list_grows", "memory_list_grows.py",
         **zero("zero_pad", words=("MemoryError", "time limit", "memory", "killed"))),
    Case("memory_at_load", "memory_at_load.py", score=13, notes=("MemoryError",)),
    Case("huge_output_1d", "huge_output_1d.py", **zero("conv_forward", words=ANY_DEATH)),
    Case("huge_output_2d", "huge_output_2d.py", **zero("conv_backward", words=ANY_DEATH)),
    Case("huge_output_fits", "huge_output_fits.py",
         **zero("zero_pad", words=("unusable", "too large", "too big", "elements"))),
    # ---- processes
    Case("fork_bomb", "fork_bomb.py", needs="processes", bomb=True,
         **zero("conv2d_multi", words=("BlockingIOError", "Resource temporarily unavailable",
                                       "unexpected", "time limit", "exited"))),
    Case("fork_bomb_sleepers", "fork_bomb_sleepers.py", needs="processes", bomb=True,
         **zero("conv_forward", words=TIME)),
    Case("fork_once", "fork_once.py", free=("conv_output_size",)),
    Case("escaped_process", "escaped_process.py", score=13, check=no_escaped_process,
         needs="processes"),
    Case("signal_grader", "signal_grader.py", score=13, check=no_signal, needs="processes"),
    # ---- exits and crashes
    Case("os_exit", "os_exit.py", **zero("conv2d_multi", words=("exited",))),
    Case("sys_exit", "sys_exit.py", **zero("conv_forward", words=("SystemExit",))),
    Case("sys_exit_at_load", "sys_exit_at_load.py", score=13, notes=("SystemExit",)),
    Case("keyboard_interrupt", "keyboard_interrupt.py",
         **zero("conv_backward", words=("KeyboardInterrupt",))),
    Case("segfault", "segfault.py", **zero("conv2d_single", words=("SIGSEGV",))),
    Case("recursion", "recursion.py", **zero("zero_pad", words=("RecursionError",))),
    Case("recursion_unbounded", "recursion_unbounded.py",
         **zero("conv_output_size", words=ANY_DEATH)),
    Case("evil_exception", "evil_exception.py",
         **zero("conv_output_size", words=("exited", "Evil", "killed"))),
    Case("lift_limits", "lift_limits.py",
         **zero("conv2d_single", words=("ValueError", "PermissionError", "not allowed"))),
    # ---- what the child must not reach
    Case("read_reference", "read_reference.py", base="as_is",
         **zero(words=("missing",)), check=reference_not_shown, needs="hidden"),
    Case("env_os_environ", "env_os_environ.py", check=secret_hidden,
         **zero("conv_output_size", words=("RuntimeError",))),
    Case("env_proc_environ", "env_proc_environ.py", check=secret_hidden,
         **zero("conv_output_size", words=("RuntimeError",))),
    Case("network_tcp", "network_tcp.py", score=13, check=no_connection("tcp"), needs="network"),
    Case("network_unix_socket", "network_unix_socket.py", score=13,
         check=no_connection("unix"), needs="network"),
    Case("write_tmp", "write_tmp.py", score=13, needs="readonly",
         check=no_files(*(Path(d) / f"pwned_{MARKER}" for d in TMP_TARGETS))),
    Case("write_course_root", "write_course_root.py", score=13, needs="readonly",
         check=no_files(*(d / f"pwned_{MARKER}" for d in ROOT_TARGETS))),
    # ---- forbidden imports
    Case("import_torch", "import_torch.py", **zero("conv_forward", words=("not allowed",))),
    Case("import_scipy_signal", "import_scipy_signal.py",
         **zero("conv2d_single", words=("not allowed", "No module named", "ImportError"))),
    Case("dunder_import_torch", "dunder_import_torch.py",
         **zero("conv2d_multi", words=("not allowed",))),
    Case("importlib_torch", "importlib_torch.py", **zero("conv_backward", words=("not allowed",))),
    Case("import_guard_removed", "import_guard_removed.py", **zero("conv_forward")),
    # ---- lying to the checks
    Case("monkeypatch_checks", "monkeypatch_checks.py", score=10, notes=("AssertionError",),
         **zero("conv_forward", words=("shape",))),
    Case("liar_ndarray", "liar_ndarray.py", **zero("conv2d_multi", words=("values",))),
    Case("fake_score", "fake_score.py", score=9, check=fake_score_ignored,
         **zero("conv_backward", words=("values",))),
    # ---- odd return values
    Case("nan_output", "nan_output.py", **zero("conv2d_single", words=("nonfinite",))),
    Case("inf_output", "inf_output.py", **zero("conv2d_multi", words=("nonfinite",))),
    Case("dtype_complex", "dtype_complex.py", **zero("zero_pad", words=("not numbers",))),
    Case("dtype_object", "dtype_object.py", **zero("conv2d_single", words=("not numbers",))),
    Case("dtype_str", "dtype_str.py", **zero("conv2d_multi", words=("not numbers",))),
    Case("wrong_shape", "wrong_shape.py", **zero("conv_forward", words=("shape",))),
    Case("nested_list", "nested_list.py", score=13),
    Case("generator", "generator.py", **zero("zero_pad", words=("not numbers", "not an array"))),
    # ---- the process's own plumbing
    Case("stdout_replaced", "stdout_replaced.py", score=13),
    Case("thread_spinning", "thread_spinning.py", score=13),
    Case("print_flood", "print_flood.py", score=13, check=stdout_bounded),
    # ---- broken files
    Case("invalid_json", "invalid_json.ipynb", **unreadable("broken notebook JSON")),
    Case("nbformat3", "nbformat3.ipynb", **unreadable("version 3")),
    Case("binary", "binary.ipynb", **unreadable("binary", "not a text file")),
    Case("empty_py", "empty.py", **unreadable("empty")),
    Case("empty_ipynb", "empty.ipynb", **unreadable("empty")),
    Case("not_a_notebook", "not_a_notebook.ipynb", **unreadable("not a Jupyter notebook")),
    Case("wrong_suffix", "wrong_suffix.txt", **unreadable("not a .ipynb or .py")),
    Case("utf16", "@utf16", filename="utf16.py", **unreadable("not a text file", "UTF-16")),
    Case("cells_deleted", "cells_deleted.ipynb", base="as_is", **zero(words=("missing",))),
    Case("syntax_error", "syntax_error.py", **zero(words=("missing", "SyntaxError")), notes=("SyntaxError",)),
    Case("notebook_control", "@notebook", filename="notebook_control.ipynb", base="as_is",
         score=13),
    Case("solution_as_markdown", "@markdown", filename="solution_as_markdown.ipynb",
         base="as_is", **zero("conv_forward", words=("missing",))),
    Case("syntax_error_cell", "@syntax_cell", filename="syntax_error_cell.ipynb", base="as_is",
         score=13, notes=("SyntaxError",)),
    Case("korean_file_name", "제출 파일.py", score=13, check=record_written),
]


# ------------------------------------------------------------------ building the submissions
def reference_cells(reference: str) -> list[tuple[str, str]]:
    """The reference as notebook cells: (name, source), the imports first, then one cell per
    top-level definition (the way the assignment notebook lays it out)."""
    tree = ast.parse(reference)
    lines = reference.splitlines(keepends=True)
    head = "".join(ast.get_source_segment(reference, n) + "\n" for n in tree.body
                   if isinstance(n, (ast.Import, ast.ImportFrom)))
    cells = [("setup", head + "from autograder import check\n")]
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign)):
            start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
            cells.append((getattr(node, "name", "code"), "".join(lines[start - 1:node.end_lineno])))
    return cells


def notebook(reference: str, *, markdown: str | None = None, extra: str | None = None) -> str:
    cells = [new_markdown_cell("# 과제 1: 합성곱 (Convolution)")]
    for name, source in reference_cells(reference):
        meta = {"nbgrader": {"grade": False, "grade_id": f"solution_{name}", "locked": False,
                             "schema_version": 3, "solution": True}}
        make = new_markdown_cell if name == markdown else new_code_cell
        cells.append(make(source, metadata=meta))
        if name in PROBLEMS:
            cells.append(new_code_cell(f'check("{name}", {name})'))
            cells.append(new_code_cell(
                f'from autograder.notebook import graded\ngraded("{name}")',
                metadata={"nbgrader": {"grade": True, "grade_id": f"test_{name}", "locked": True,
                                       "points": 1.0, "schema_version": 3, "solution": False}}))
    if extra is not None:
        cells.append(new_code_cell(extra))
    return nbformat.writes(new_notebook(cells=cells))


BUILT = {
    "@notebook": lambda ref: notebook(ref).encode(),
    "@markdown": lambda ref: notebook(ref, markdown="conv_forward").encode(),
    "@syntax_cell": lambda ref: notebook(ref, extra="def half_written(x:\n    return x\n").encode(),
    "@utf16": lambda ref: ref.encode("utf-16"),
}


def submission_bytes(case: Case, reference: str, fill: dict[str, str]) -> bytes:
    if case.source in BUILT:
        return BUILT[case.source](reference)
    path = (BROKEN_DIR if (BROKEN_DIR / case.source).exists() else CASES_DIR) / case.source
    if path.suffix != ".py":
        return path.read_bytes()
    text = path.read_text(encoding="utf-8")
    for key, value in fill.items():
        text = text.replace("{{" + key + "}}", value)
    if case.base == "reference":
        text = f"{reference}\n\n# ---- hostile part: tests/adversarial/cases/{case.source}\n{text}"
    return text.encode("utf-8")


# ------------------------------------------------------------------ probing the sandbox
PROBE_FORKS = 200
PROBE = f"""
import os
import numpy as np

def probe():
    n = 0
    for _ in range({PROBE_FORKS}):  # linear, and every child exits at once: harmless unlimited
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            os._exit(0)
        n += 1
    return np.array([float(n)])
"""


def probe_process_cap(course) -> bool:
    """Whether the sandbox stops a process from forking 200 children; a fork bomb runs only
    when it does."""
    policy = dataclasses.replace(course.policy, timeout_s=10.0)
    run = sandbox.run(((0, PROBE),), "<probe>", [sandbox.Call("probe", "probe", "probe", ())],
                      policy)
    outputs = run.results["probe"].outputs
    assert outputs is not None, f"the probe failed: {run.results['probe'].error}"
    return float(outputs[0][0]) < PROBE_FORKS


def sandbox_environs() -> list[bytes]:
    """The environment blocks of the sandboxed fork servers now running (seen from outside)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"/sandbox/worker.py" in (entry / "cmdline").read_bytes():
                    found.append((entry / "environ").read_bytes())
            except OSError:
                pass
    return found


def marker_processes() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"{MARKER}-escaped".encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def drain(listener) -> list[bytes]:
    got = []
    while True:
        try:
            conn, _ = listener.accept()
        except (BlockingIOError, OSError):
            return got
        with conn:
            conn.settimeout(1)
            try:
                got.append(conn.recv(1000) or b"<connected>")
            except OSError:
                got.append(b"<connected>")


# ------------------------------------------------------------------ the batch
@dataclass
class Batch:
    results: dict
    seconds: float
    folder: Path
    out_dir: Path
    reference_source: str
    capped: bool
    received: dict
    signals: list
    escaped: list
    secret_in_forkserver: bool
    items: list
    students: dict
    course: object


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    course = dataclasses.replace(load_course(ROOT / "course.yaml"), timeout_s=TIMEOUT_S)
    try:
        sandbox.ensure_available(course.policy)
    except sandbox.SandboxUnavailable as e:
        pytest.skip(f"no sandbox on this machine (the grader refuses to grade here): {e}")
    conv = course.assignment(ASSIGNMENT)
    reference = (course.root / conv.reference).read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("adversarial")
    out_dir = folder / "out"

    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(16)
    tcp.setblocking(False)
    unix_path = os.path.join(SOCKET_DIR, f"{MARKER}.sock")
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(unix_path)
    unix.listen(16)
    unix.setblocking(False)
    signals = []
    previous = signal.signal(signal.SIGUSR1, lambda sig, frame: signals.append(sig))
    planted = [Path(d) / f"pwned_{MARKER}" for d in TMP_TARGETS + ROOT_TARGETS]
    try:
        capped = probe_process_cap(course)
        secret_in_forkserver = any(SECRET.encode() in env for env in sandbox_environs())
        fill = {"COURSE_ROOT": str(course.root), "PORT": str(tcp.getsockname()[1]),
                "UNIX_SOCKET": unix_path, "MARKER": MARKER, "GRADER_PID": str(os.getpid())}
        items, by_path, students = [], {}, {}
        for case in CASES:
            if case.bomb and not capped:
                continue                            # never a fork bomb without a cap
            path = folder / case.name / (case.filename or Path(case.source).name)
            path.parent.mkdir()
            path.write_bytes(submission_bytes(case, reference, fill))
            student = path.stem if case.name == "korean_file_name" else case.name
            items.append(Item(path, conv, student))
            by_path[str(path)] = case.name
            students[case.name] = student
        start = time.perf_counter()
        results = {}
        for item, result in grade_all(course, items, jobs=JOBS, out_dir=out_dir):
            name = by_path[str(item.path)]
            assert name not in results, f"{name} graded twice"
            results[name] = result
        seconds = time.perf_counter() - start
        time.sleep(0.2)                             # let a stray process get going
        yield Batch(results, seconds, folder, out_dir, reference, capped,
                    {"tcp": drain(tcp), "unix": drain(unix)}, signals, marker_processes(),
                    secret_in_forkserver, items, students, course)
    finally:
        signal.signal(signal.SIGUSR1, previous)
        tcp.close()
        unix.close()
        os.unlink(unix_path)
        for path in planted:                        # only files named with this run's marker
            if path.exists():
                path.unlink()
        for pid in marker_processes():              # only processes carrying this run's marker
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# ------------------------------------------------------------------ the checks
def problem_text(p) -> str:
    return " ".join([p.error or ""] + [f"{m.kind}: {m.detail}" for m in p.mismatches])


def assert_sane(result):
    """What holds for every submission, hostile or not."""
    assert result.assignment == ASSIGNMENT
    assert not (result.error or "").startswith("internal error"), result.error
    assert tuple(p.problem for p in result.problems) == PROBLEMS
    for p in result.problems:
        assert p.status in ("pass", "partial", "fail", "error")
        assert 0 <= p.score <= p.max_score
        assert (p.status == "pass") == (p.score == p.max_score)
    assert result.max_score == 13 and 0 <= result.score <= 13
    assert len(result.stdout) <= 50_000


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(batch, case):
    if case.bomb and not batch.capped:
        pytest.fail("process limit not enforced: the fork bomb was not run")
    result = batch.results[case.name]
    assert_sane(result)
    by = {p.problem: p for p in result.problems}

    if case.error:
        assert result.error and any(w in result.error for w in case.error), result.error
        assert Path(result.path).name in result.error, "the message names the file"
        assert result.score == 0 and all(p.status == "error" for p in result.problems)
    else:
        assert result.error is None, result.error
    for name in case.zero:
        assert by[name].score == 0 and by[name].status != "pass", by[name]
    for name, words in case.words.items():
        text = problem_text(by[name])
        assert any(w in text for w in words), f"{name}: none of {words} in {text[:300]!r}"
    if not case.error:
        failing = {n: problem_text(by[n])[:200] for n in case.others_pass if by[n].status != "pass"}
        assert not failing, f"problems the case does not attack lost points: {failing}"
    if case.score is not None:
        assert result.score == case.score
    for word in case.notes:
        assert any(word in n for n in result.notes), f"{word!r} not in notes {result.notes}"

    # No secret anywhere the grader writes, whatever the case.
    record = json.dumps(to_record(result), ensure_ascii=False)
    written = batch.out_dir / batch.students[case.name] / ASSIGNMENT / "results.json"
    assert SECRET not in record and SECRET not in written.read_text(encoding="utf-8")
    assert SECRET not in result.stdout
    if case.check is not None:
        case.check(batch, result)


def test_every_submission_got_exactly_one_result(batch):
    assert sorted(batch.results) == sorted(
        c.name for c in CASES if not c.bomb or batch.capped)
    assert len(list((batch.out_dir / "records").glob("*.json"))) == len(batch.items)


def test_the_batch_finished_in_time(batch):
    # Hangs cost one time limit (2 s) each, in 2 parallel jobs; print for the record.
    print(f"\n{len(batch.results)} adversarial submissions graded in {batch.seconds:.1f} s")
    assert batch.seconds < 120


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 32
    on_disk = {p.name for p in CASES_DIR.iterdir()} | {p.name for p in BROKEN_DIR.iterdir()}
    used = {c.source for c in CASES}
    assert on_disk <= used, f"case files without an expected outcome: {on_disk - used}"


PIDS_LIMIT = """
import resource
import numpy as np

def pids_limit():
    \"\"\"The process cap this child runs under (inf: none). /proc, and with it the pids
    cgroup, is out of sight in the sandbox: RLIMIT_NPROC, set per child, is what it can read.\"\"\"
    soft, _ = resource.getrlimit(resource.RLIMIT_NPROC)
    return np.array([float("inf") if soft == resource.RLIM_INFINITY else float(soft)])
"""


def test_the_process_cap_holds_under_concurrency(batch):
    """The cap must hold for every child of a parallel batch, not only for most of them: 400
    children, 4 at a time, each reporting the process limit it runs under (a cheap stand-in
    for a fork bomb, which probe_process_cap confirmed is what that limit stops)."""
    if not batch.capped:
        pytest.fail("the sandbox caps no processes on this machine")
    course, call = batch.course, sandbox.Call("limit", "limit", "pids_limit", ())
    policy = dataclasses.replace(course.policy, timeout_s=10.0)

    def limit(_):
        run = sandbox.run(((0, PIDS_LIMIT),), "<pids>", [call], policy)
        outputs = run.results["limit"].outputs
        return float(outputs[0][0]) if outputs else run.results["limit"].error

    with ThreadPoolExecutor(4) as pool:
        limits = list(pool.map(limit, range(400)))
    uncapped = [x for x in limits if not isinstance(x, float) or x == float("inf")]
    assert not uncapped, f"{len(uncapped)} of {len(limits)} concurrent children had no process cap"
