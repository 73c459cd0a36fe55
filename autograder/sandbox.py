"""Run student code in the sandbox; only arrays come back.

The parent never imports or executes student code. Each grading thread owns one long-lived
sandboxed fork server (`autograder.sandbox_worker` under bubblewrap, see
`autograder.isolation`); per submission it sends the cells and the calls, with the write end
of a fresh pipe, and reads the answers from that pipe. Every read has a deadline, and every
size is checked before anything is allocated: a child that hangs, floods, lies or dies fails
its own call, never the grader.

Infrastructure failures are never grades: when the fork server dies, stops answering or
cannot fork (EAGAIN), it is restarted with a clean environment and the submission runs again;
only what the student's code itself produced is returned.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from autograder.isolation import Policy, SandboxUnavailable, SlotCgroups, command, \
    explain_failure, seccomp_programs
from autograder.sandbox_worker import MAX_CALL_TEXT, MAX_ELEMENTS, MAX_TEXT   # the child's own bounds

__all__ = ["Call", "CallResult", "SandboxRun", "Policy", "SandboxUnavailable",
           "InfrastructureError", "run", "ensure_available"]

MAX_HEADER = 1 << 16             # bytes of a message's JSON header
READ_AHEAD = 1 << 16
MAX_TOTAL = 6_000_000            # elements of all the arrays of one message (48 MB)
MAX_DIMS = 8
STATUS_WAIT_S = 5.0              # for the fork server to report a finished child
LINGER_S = 1.0                   # for a child that sent its last answer to exit by itself
ATTEMPTS = 20                    # of one submission, when the infrastructure fails


class InfrastructureError(Exception):
    """The sandbox itself failed (not the student's code) and kept failing on retry."""


@dataclass(frozen=True)
class Call:
    key: str                 # unique within one run
    group: str               # the problem: a timeout skips the rest of its group
    function: str
    args: tuple
    n_outputs: int = 1                # arrays sent back
    layout: tuple | None = None       # Problem.returns: the dicts among the returned values


@dataclass
class CallResult:
    outputs: tuple[np.ndarray, ...] | None = None
    error: str | None = None          # why there are no outputs
    raised: str | None = None         # the exception type name, when the call raised
    seconds: float = 0.0              # wall time, measured by the grader
    raised_mro: tuple[str, ...] = ()  # the exception type's class names, most derived first
    stdout: str = ""                  # what the call printed (at most MAX_CALL_TEXT characters)


@dataclass
class SandboxRun:
    results: dict[str, CallResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)    # cell errors while loading
    stdout: str = ""
    load_failure: str | None = None
    unsafe: bool = False                              # graded without the sandbox


class _Dead(Exception):
    """The child stopped answering: timed out, died, or sent something malformed."""

    def __init__(self, why: str):
        self.why = why


class _Restart(Exception):
    """The fork server failed: restart it and run the submission again. `why` is set when
    the jail itself could not be built (the same again on retry)."""

    def __init__(self, why: str = ""):
        self.why = why


# ----------------------------------------------------------------------------- messages

def _arg_spec(value) -> tuple[dict, bytes]:
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        specs, blobs = zip(*(_arg_spec(v) for v in value))      # a list of arrays (gradients)
        return {"list": list(specs)}, b"".join(blobs)
    if isinstance(value, dict):                   # a dict of arrays (cnn's params), in its order
        specs, blobs = [], []
        for key, item in value.items():
            spec, blob = _arg_spec(item)
            specs.append([str(key), spec])
            blobs.append(blob)
        return {"d": specs}, b"".join(blobs)
    if isinstance(value, np.ndarray):
        little = value.astype(value.dtype.newbyteorder("<"), copy=False)
        return {"dtype": little.dtype.str, "shape": list(value.shape)}, little.tobytes()
    if isinstance(value, np.generic):
        value = value.item()
    return {"v": value}, b""


def encode_request(cells, filename: str, calls: list[Call], policy: Policy, cpu_s: int) -> bytes:
    """The request the fork server decodes (trusted data: JSON, then raw arrays)."""
    blobs, specs = [], []
    for call in calls:
        arg_specs = []
        for a in call.args:
            spec, blob = _arg_spec(a)
            arg_specs.append(spec)
            blobs.append(blob)
        specs.append([call.key, call.function, call.n_outputs,
                      None if call.layout is None else [None if k is None else list(k)
                                                        for k in call.layout], arg_specs])
    header = json.dumps({
        "cells": [[int(i), str(src)] for i, src in cells], "filename": filename,
        "calls": specs, "forbidden": list(policy.forbidden),
        "seccomp": "" if policy.unsafe else seccomp_programs()[1].hex(),
        "limits": {"memory_mb": policy.memory_mb, "cpu_s": cpu_s, "file_mb": policy.file_mb,
                   "tmp_mb": policy.tmp_mb, "processes": policy.processes}}).encode()
    return len(header).to_bytes(4, "big") + header + b"".join(blobs)


class _Reader:
    """Reads the child's messages from a pipe, each byte under a deadline."""

    def __init__(self, fd: int):
        self.fd = fd
        os.set_blocking(fd, False)
        self.poll = select.poll()
        self.poll.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        self.buffer = bytearray()

    def _wait(self, deadline: float, timeout_s: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0 or not self.poll.poll(left * 1000):
            raise _Dead(f"ran past the {timeout_s:g} s time limit")

    def _exact(self, n: int, deadline: float, timeout_s: float) -> bytearray:
        """Exactly n bytes (n was checked by the caller). Small reads go through a read-ahead
        buffer (many messages, few system calls); a large body is read straight into one
        buffer allocated once."""
        while n <= READ_AHEAD and len(self.buffer) < n:
            self._wait(deadline, timeout_s)
            try:
                chunk = os.read(self.fd, READ_AHEAD)
            except BlockingIOError:
                continue
            if not chunk:
                raise _Dead("")                      # end of file: the child is gone
            self.buffer += chunk
        out = bytearray(n)
        view, got = memoryview(out), min(n, len(self.buffer))
        view[:got] = self.buffer[:got]
        del self.buffer[:got]
        while got < n:
            self._wait(deadline, timeout_s)
            try:
                count = os.readv(self.fd, [view[got:]])
            except BlockingIOError:
                continue
            if not count:
                raise _Dead("")
            got += count
        return out

    def message(self, timeout_s: float, max_arrays: int = 0):
        """(tag, meta, arrays): the header's size, the number of arrays, each array's and the
        message's total size are checked before the body is read."""
        deadline = time.monotonic() + timeout_s
        head = self._exact(5, deadline, timeout_s)
        size = int.from_bytes(head[1:5], "big")
        if size > MAX_HEADER:
            raise _Dead(f"sent a malformed message (a {size}-byte header)")
        try:
            header = json.loads(self._exact(size, deadline, timeout_s))
            meta, shapes = header["meta"], header["shapes"]
        except (ValueError, TypeError, KeyError, RecursionError):
            raise _Dead("sent a malformed message") from None
        if not isinstance(meta, dict) or not isinstance(shapes, list) or len(shapes) > max_arrays:
            raise _Dead("sent a malformed message")
        counts = []
        for shape in shapes:
            if not (isinstance(shape, list) and len(shape) <= MAX_DIMS
                    and all(type(n) is int and 0 <= n <= MAX_ELEMENTS for n in shape)):
                raise _Dead("sent a malformed array shape")
            count = 1
            for n in shape:
                count *= n
            if count > MAX_ELEMENTS:
                raise _Dead(f"returned too large an array ({count} elements, over {MAX_ELEMENTS})")
            counts.append(count)
        if sum(counts) > MAX_TOTAL:
            raise _Dead(f"returned too much data ({sum(counts)} elements, over {MAX_TOTAL})")
        body = self._exact(8 * sum(counts), deadline, timeout_s)
        arrays, offset = [], 0
        for count, shape in zip(counts, shapes):
            arrays.append(np.frombuffer(body, dtype="<f8", count=count, offset=8 * offset)
                          .reshape(shape).astype(np.float64, copy=False))
            offset += count
        return bytes(head[:1]), meta, tuple(arrays)


def _text(value, limit: int = 500) -> str:
    return str(value)[:limit] if value is not None else ""


def _death_reason(code: int | None) -> str:
    if code is None or code >= 0:
        return f"the process exited (code {code}) before finishing"
    sig = -code
    name = signal.Signals(sig).name if sig in signal.valid_signals() else str(sig)
    hint = {"SIGKILL": " (memory or CPU limit?)", "SIGSEGV": " (a crash in native code)",
            "SIGXCPU": " (CPU time limit)", "SIGXFSZ": " (file size limit)",
            "SIGSYS": " (a forbidden system call)"}.get(name, "")
    return f"the process was killed by {name}{hint}"


# ----------------------------------------------------------------------------- the worker

_CLEAN_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
              "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


_cgroup_warning: list[str] = []


def _slot_cgroups(policy: Policy) -> SlotCgroups | None:
    """As root, a memory and a pids cgroup for the slot. Where the machine gives none (a
    container without cgroup access), the rlimits, tmpfs sizes and the refusal of memfd still
    bound the submission: say so once, and go on."""
    if os.geteuid() != 0 or policy.unsafe:
        return None
    try:
        return SlotCgroups(policy.memory_mb, policy.processes)
    except SandboxUnavailable as e:
        if not _cgroup_warning:
            _cgroup_warning.append(str(e))
            print(f"autograder: warning: {e}; memory and processes are bounded by rlimits only",
                  file=sys.stderr)
        return None


class Worker:
    """One sandboxed fork server: the grading slot of one thread."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.cgroups = _slot_cgroups(policy)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.errors = tempfile.TemporaryFile()
        seccomp_r = None
        try:
            if not policy.unsafe:
                seccomp_r, seccomp_w = os.pipe()
                program = seccomp_programs()[0]
                os.write(seccomp_w, program)          # < a pipe's buffer: never blocks
                os.close(seccomp_w)
            argv = command(policy, theirs.fileno(), -1 if seccomp_r is None else seccomp_r,
                           self.cgroups)
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.errors,
                env=dict(_CLEAN_ENV), start_new_session=True, close_fds=True,
                pass_fds=tuple(fd for fd in (theirs.fileno(), seccomp_r) if fd is not None))
        except BaseException:
            ours.close()
            if self.cgroups:
                self.cgroups.remove()
            raise
        finally:
            theirs.close()
            if seccomp_r is not None:
                os.close(seccomp_r)
        self.control = ours
        self.control.settimeout(30)
        self.owed = False

    def startup_error(self) -> str:
        """bubblewrap's complaint, if the worker exited (waiting a moment for it)."""
        try:
            self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return ""
        self.errors.seek(0)
        text = self.errors.read(4000).decode(errors="replace")
        return explain_failure(text) if "bwrap" in text or "unshare" in text or "setpriv" in text \
            else ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def start_child(self, request: bytes) -> int:
        """Hand a request to the fork server; the read end of the child's answer pipe."""
        self.settle()
        r, w = os.pipe()
        try:
            socket.send_fds(self.control, [b"Q" + len(request).to_bytes(8, "big")], [w])
            self.control.sendall(request)
        except OSError:
            os.close(r)
            raise _Restart() from None
        finally:
            os.close(w)
        return r

    def _status(self, wait_s: float) -> tuple[bytes, int] | None:
        self.control.settimeout(wait_s)
        data = b""
        try:
            while len(data) < 9:
                chunk = self.control.recv(9 - len(data))
                if not chunk:
                    raise _Restart()
                data += chunk
        except socket.timeout:
            return None
        except OSError:
            raise _Restart() from None
        finally:
            self.control.settimeout(30)
        return data[:1], struct.unpack(">q", data[1:])[0]

    def settle(self) -> None:
        """Collect the exit status of a child that finished cleanly (its teardown overlaps
        the grader's comparison of its answers); one that lingers after its last answer
        (its code replaced os._exit, say) is killed."""
        if self.owed:
            self.owed = False
            self.finish(kill=False, wait_s=LINGER_S)

    def finish(self, kill: bool, wait_s: float) -> int:
        """The child's exit status once it is gone (killing it if asked, or if it lingers)."""
        if not kill:
            status = self._status(wait_s)
            if status is not None:
                return self._exit_code(status)
        try:
            self.control.sendall(b"K")
        except OSError:
            raise _Restart() from None
        status = self._status(STATUS_WAIT_S)
        if status is None:
            raise _Restart()
        return self._exit_code(status)

    @staticmethod
    def _exit_code(status: tuple[bytes, int]) -> int:
        tag, value = status
        if tag != b"X":                         # "F": the fork server could not fork
            raise _Restart()
        return value

    def close(self) -> None:
        try:
            self.control.close()
        finally:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.kill()
            self.proc.wait()
            self.errors.close()
            if self.cgroups:
                self.cgroups.remove()


_idle: dict[tuple, list[Worker]] = {}      # started workers not in use, by policy
_everyone: list[Worker] = []
_pool_lock = threading.Lock()


def _checkout(policy: Policy) -> Worker:
    """An idle worker for this policy, or a new one: as many workers as submissions graded
    at once, reused by every later batch in this process."""
    with _pool_lock:
        idle = _idle.setdefault(policy.worker_key, [])
        while idle:
            worker = idle.pop()
            if worker.alive():
                return worker
            _everyone.remove(worker)
            worker.close()
    worker = Worker(policy)
    with _pool_lock:
        _everyone.append(worker)
    return worker


def _checkin(worker: Worker) -> None:
    with _pool_lock:
        _idle.setdefault(worker.policy.worker_key, []).append(worker)


def _discard(worker: Worker) -> None:
    with _pool_lock:
        if worker in _everyone:
            _everyone.remove(worker)
    worker.close()


@atexit.register
def close_all() -> None:
    """Stop every worker (at exit; tests call it too)."""
    with _pool_lock:
        workers = list(_everyone)
        _everyone.clear()
        _idle.clear()
    for w in workers:
        try:
            w.close()
        except Exception:
            pass


# ----------------------------------------------------------------------------- running

_available: dict[tuple, str | None] = {}
_available_lock = threading.Lock()


def ensure_available(policy: Policy) -> None:
    """Start a sandbox and run an empty submission in it once per process; raise
    SandboxUnavailable, naming what is missing, where that fails (fail closed)."""
    with _available_lock:
        if policy.worker_key not in _available:
            try:
                probe = run([(0, "import numpy")], "<probe>", [], policy)
                _available[policy.worker_key] = probe.load_failure or (
                    "numpy does not import in the sandbox: " + "; ".join(probe.notes)
                    if probe.notes else None)
            except (SandboxUnavailable, InfrastructureError) as e:
                _available[policy.worker_key] = str(e)
        problem = _available[policy.worker_key]
    if problem:
        raise SandboxUnavailable(problem)


def run(cells, filename, calls: list[Call], policy: Policy | None = None) -> SandboxRun:
    """Run `cells` ((index, source) pairs) and then every call; never raises for student
    faults. Raises SandboxUnavailable where no sandbox can be set up, InfrastructureError
    where it keeps failing."""
    policy = policy or Policy()
    out = SandboxRun(unsafe=policy.unsafe)
    pending = list(calls)
    cpu_s = int(policy.timeout_s * (len(calls) + 2)) + 1
    failures = 0
    while True:
        worker = _checkout(policy)
        try:
            pending = _attempt(worker, out, cells, filename, pending, policy, cpu_s)
        except _Restart as restart:
            why = restart.why or worker.startup_error()
            _discard(worker)
            failures += 1
            if why.startswith("the sandbox cannot start") and not out.results:
                raise SandboxUnavailable(why) from None
            if failures >= (3 if restart.why else ATTEMPTS):
                raise InfrastructureError(f"the sandbox kept failing: {why or 'no answer'}") from None
            time.sleep(min(0.05 * failures, 0.5))
            continue
        except BaseException:
            _discard(worker)
            raise
        _checkin(worker)
        if not pending:
            return out


def _attempt(worker: Worker, out: SandboxRun, cells, filename, pending: list[Call],
             policy: Policy, cpu_s: int) -> list[Call]:
    """One child: load the cells, answer calls until done or dead. Returns the calls still
    to run (a killed child takes its problem's remaining calls with it)."""
    fd = worker.start_child(encode_request(cells, filename, pending, policy, cpu_s))
    reader = _Reader(fd)
    stage, loaded, clean = "setup", False, False
    try:
        tag, meta, _ = reader.message(policy.timeout_s + 10)    # "R": the jail is built
        if tag == b"E":
            raise _Restart(f"the sandbox could not be set up: {_text(meta.get('error'), 300)}")
        if tag != b"R":
            raise _Dead("sent an unexpected message")
        stage = "load"
        tag, meta, _ = reader.message(policy.timeout_s)
        if tag != b"L":
            raise _Dead("sent an unexpected message")
        loaded = True
        out.notes = [_text(n) for n in (meta.get("notes") or [])[:50]] \
            if isinstance(meta.get("notes"), list) else []
        while pending:
            call = pending[0]
            start = time.monotonic()
            tag, meta, arrays = reader.message(policy.timeout_s, call.n_outputs)
            if tag != b"C" or meta.get("key") != call.key:
                raise _Dead("sent an unexpected message")
            seconds = time.monotonic() - start
            error = meta.get("error")
            outputs = arrays if len(arrays) == call.n_outputs and not error else None
            mro = meta.get("raised_mro")
            out.results[call.key] = CallResult(
                outputs, None if outputs is not None else _text(error or "no output"),
                _text(meta.get("raised"), 100) or None, seconds,
                tuple(_text(c, 100) for c in mro[:20]) if isinstance(mro, list) else (),
                _text(meta.get("stdout"), MAX_CALL_TEXT))
            pending.pop(0)
        tag, meta, _ = reader.message(policy.timeout_s)
        if tag == b"D":
            out.stdout = _text(meta.get("stdout"), MAX_TEXT)
        clean = True
    except _Dead as dead:
        code = worker.finish(kill=True, wait_s=0) if dead.why else \
            worker.finish(kill=False, wait_s=min(policy.timeout_s, 2.0))
        if stage == "setup":
            raise _Restart() from None               # the jail, not the student
        why = dead.why or _death_reason(code)
        if not loaded:
            out.load_failure = f"while loading the submission: {why}"
            for call in pending:
                out.results[call.key] = CallResult(error=out.load_failure)
            return []
        culprit = pending[0] if pending else None
        if culprit is None:
            return []
        for call in [c for c in pending if c.group == culprit.group]:
            out.results[call.key] = CallResult(
                error=why if call is culprit else
                f"not run: an earlier call of {culprit.function} failed ({why})")
        return [c for c in pending if c.group != culprit.group]
    finally:
        os.close(fd)
        if clean:
            worker.owed = True
    return pending
