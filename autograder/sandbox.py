"""Run student code in a confined child process; only arrays come back.

The parent never imports or executes student code. It starts a child from a fork server
that has only NumPy loaded, hands it the cells and the calls, and reads one message per call
(a JSON header and raw float64 bytes: no pickle, nothing to execute). A call that hangs or
kills the process fails alone: the child is killed (its whole process group) and a new one
carries on with the remaining calls.
"""
from __future__ import annotations

import atexit
import contextlib
import functools
import json
import multiprocessing as mp
import os
import signal
import sys
import threading
import types
from dataclasses import dataclass, field

import numpy as np

from autograder import _child

MAX_MESSAGE = 256 << 20          # bytes of one returned message
MAX_ELEMENTS = _child.MAX_ELEMENTS

_context = None


_start_lock = threading.Lock()
SAFE_ENV = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE")


def _ctx():
    """The fork server: started once, with NumPy preloaded, BLAS single-threaded, and an
    environment without secrets (a child's /proc/self/environ shows the one it started with)."""
    global _context
    with _start_lock:
        if _context is None:
            from multiprocessing import forkserver
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["autograder._child"])
            saved = dict(os.environ)
            try:
                os.environ.clear()
                os.environ.update({k: v for k, v in saved.items() if k in SAFE_ENV})
                os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
                with _bare_main():
                    forkserver.ensure_running()
            finally:
                os.environ.clear()
                os.environ.update(saved)
            _context = ctx
    return _context


@functools.lru_cache(maxsize=None)
def forbidden_paths(modules: tuple[str, ...]) -> tuple[str, ...]:
    """Where the forbidden modules live, so the sandbox can cover them (an import hook alone
    can be removed by the code it guards)."""
    import importlib.util
    paths = []
    for name in modules:
        top, *rest = name.split(".")
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        if spec.submodule_search_locations:
            base = os.path.join(list(spec.submodule_search_locations)[0], *rest)
            paths += [p for p in (base, base + ".py") if os.path.exists(p)]
        elif spec.origin and not rest and os.path.exists(spec.origin):
            paths.append(spec.origin)
    return tuple(paths)


@dataclass(frozen=True)
class Call:
    key: str                 # unique within one run
    group: str               # the problem: a timeout skips the rest of its group
    function: str
    args: tuple
    n_outputs: int = 1


@dataclass
class CallResult:
    outputs: tuple[np.ndarray, ...] | None = None
    error: str | None = None          # why there are no outputs
    raised: str | None = None         # the exception type name, when the call raised
    seconds: float = 0.0


@dataclass
class SandboxRun:
    results: dict[str, CallResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)    # cell errors while loading
    stdout: str = ""
    load_failure: str | None = None


class _Dead(Exception):
    def __init__(self, why: str):
        self.why = why


@contextlib.contextmanager
def _bare_main():
    """Hide the parent's __main__ while a child starts: multiprocessing would otherwise
    re-import the grader's entry script (and PyTorch with it) inside every child."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _read(conn, proc, timeout_s: float) -> bytes:
    if not conn.poll(timeout_s):
        raise _Dead(f"ran past the {timeout_s:g} s time limit")
    try:
        data = conn.recv_bytes(MAX_MESSAGE)
    except (EOFError, OSError):
        proc.join(1)
        raise _Dead(_death_reason(proc.exitcode)) from None
    return data


def _death_reason(code) -> str:
    if code is None or code >= 0:
        return f"the process exited (code {code}) before finishing"
    sig = -code
    name = signal.Signals(sig).name if sig in signal.valid_signals() else str(sig)
    hint = {"SIGKILL": " (memory or CPU limit?)", "SIGSEGV": " (a crash in native code)",
            "SIGXCPU": " (CPU time limit)"}.get(name, "")
    return f"the process was killed by {name}{hint}"


def _decode(data: bytes):
    """A message into (tag, meta, arrays); ValueError when it is not well formed. Nothing in
    it is executed or unpickled: a JSON header, then float64 bytes of the shapes it names."""
    size = int.from_bytes(data[1:5], "big")
    header = json.loads(data[5:5 + size].decode())
    meta, shapes = header["meta"], header["shapes"]
    if not isinstance(meta, dict) or not isinstance(shapes, list):
        raise ValueError("malformed message")
    arrays, offset = [], 5 + size
    for shape in shapes:
        if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
            raise ValueError("malformed array shape")
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if count > MAX_ELEMENTS:
            raise ValueError(f"returned too large an array ({count} elements, over {MAX_ELEMENTS})")
        arrays.append(np.frombuffer(data, dtype="<f8", count=count, offset=offset)
                      .reshape(shape).astype(np.float64))
        offset += 8 * count
    if offset != len(data):
        raise ValueError("malformed message length")
    return data[:1], meta, tuple(arrays)


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, TypeError):
        pass
    proc.kill()
    proc.join()


PROTECTIONS = ("processes", "network", "hidden", "readonly")
_warned: set[str] = set()


def _warn_missing(protections) -> None:
    """Say once per process which protections this machine could not give."""
    missing = [p for p in PROTECTIONS if p not in protections and p not in _warned]
    if missing:
        _warned.update(missing)
        print(f"autograder: warning: sandbox running without: {', '.join(missing)} "
              "(needs root with namespaces and a pids cgroup; see README, Security model)",
              file=sys.stderr)


_slots = threading.local()
_groups: list[str] = []


def _process_group() -> str | None:
    """This thread's pids cgroup (made once, reused by each child it runs in turn), or None
    where the machine has no writable pids controller."""
    group = getattr(_slots, "group", False)
    if group is False:
        group = f"{_child.PIDS_ROOT}/{os.getpid()}-{threading.get_ident()}"
        try:
            os.makedirs(group, exist_ok=True)
            with open(f"{group}/pids.max", "w") as f:
                f.write(str(_child.MAX_PROCESSES))
            _groups.append(group)
        except OSError:
            group = None
        _slots.group = group
    return group


@atexit.register
def _remove_process_groups() -> None:
    for group in _groups:
        try:
            os.rmdir(group)
        except OSError:
            pass


def run(cells, filename, calls: list[Call], *, timeout_s=10.0, memory_mb=2048,
        forbidden=("torch",), hide=()) -> SandboxRun:
    """Run `cells` ((index, source) pairs) and then every call; never raises for student faults."""
    run_ = SandboxRun()
    pending = list(calls)
    cpu_s = int(timeout_s * (len(calls) + 2)) + 1
    while pending:
        ctx = _ctx()
        rx, tx = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child.main, daemon=True,
                           args=(tx, cells, filename,
                                 [(c.key, c.function, c.args, c.n_outputs) for c in pending],
                                 memory_mb, cpu_s, list(forbidden), [str(h) for h in hide],
                                 _process_group()))
        with _start_lock, _bare_main():
            proc.start()
        tx.close()                                  # else a dead child never reads as EOF
        loaded = False
        try:
            tag, meta, _ = _decode(_read(rx, proc, timeout_s))
            if tag != b"L":
                raise _Dead("sent an unexpected message")
            loaded = True
            _warn_missing(meta.get("protections", ()))
            run_.notes = [str(n)[:500] for n in meta.get("notes", [])][:50]
            while pending:
                call = pending[0]
                tag, meta, arrays = _decode(_read(rx, proc, timeout_s))
                if tag != b"C" or meta.get("key") != call.key:
                    raise _Dead("sent an unexpected message")
                outputs = arrays if len(arrays) == call.n_outputs and not meta.get("error") else None
                run_.results[call.key] = CallResult(
                    outputs, None if outputs else str(meta.get("error") or "no output")[:500],
                    str(meta["raised"])[:100] if meta.get("raised") else None,
                    float(meta.get("seconds") or 0.0))
                pending.pop(0)
            tag, meta, _ = _decode(_read(rx, proc, timeout_s))
            if tag == b"D":
                run_.stdout = str(meta.get("stdout", ""))[:_child.MAX_TEXT]
        except _Dead as dead:
            if not loaded:                          # the cells themselves hang or die
                run_.load_failure = f"while loading the submission: {dead.why}"
                for call in pending:
                    run_.results[call.key] = CallResult(error=run_.load_failure)
                pending = []
            elif pending:
                culprit = pending[0]
                for call in [c for c in pending if c.group == culprit.group]:
                    run_.results[call.key] = CallResult(
                        error=dead.why if call is culprit else
                        f"not run: an earlier call of {culprit.function} failed ({dead.why})")
                pending = [c for c in pending if c.group != culprit.group]
        except (ValueError, KeyError, OSError, json.JSONDecodeError) as e:
            if pending:
                culprit = pending.pop(0)
                run_.results[culprit.key] = CallResult(error=f"sent back unreadable data ({e})"[:300])
        finally:
            _kill(proc)
            rx.close()
    return run_
