"""What runs inside the sandboxed child: confine the process, run the student's cells, call
the student's functions, send back plain arrays. Imports only NumPy and the standard library
(it is preloaded by the fork server, so each submission costs a fork, not an interpreter).

Nothing in here is trusted by the parent: the student's code shares this process and may
rewrite any of it. The parent only ever reads float64 bytes and a short JSON header.
"""
from __future__ import annotations

import builtins
import ctypes
import io
import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
import types

import numpy as np

MAX_TEXT = 20_000          # characters of captured stdout/stderr sent back
MAX_ELEMENTS = 4_000_000   # elements of one returned array


class _Bounded(io.StringIO):
    """A stdout that keeps the first MAX_TEXT characters and drops the rest."""

    def write(self, s):
        room = MAX_TEXT - self.tell()
        if room > 0:
            super().write(str(s)[:room])
        return len(s)


class _ImportGuard:
    """A meta-path finder that refuses forbidden modules (and their submodules)."""

    def __init__(self, forbidden):
        self.forbidden = tuple(forbidden)

    def find_spec(self, name, path=None, target=None):
        for banned in self.forbidden:
            if name == banned or name.startswith(banned + "."):
                raise ImportError(f"import of {name!r} is not allowed in this assignment "
                                  f"(implement it with NumPy)")
        return None


def _stub_autograder():
    """The notebook's `from autograder import check` cells do nothing while grading."""
    stub = types.ModuleType("autograder")
    stub.check = lambda *a, **k: None
    stub.__path__ = []
    sys.modules["autograder"] = stub


_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x8000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
PIDS_ROOT = "/sys/fs/cgroup/pids/autograder"
MAX_PROCESSES = 32


def _mount(source, target, fstype, flags, data=None) -> bool:
    return _libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                       flags, data and data.encode()) == 0


def _join_process_group(group: str | None) -> bool:
    """Enter the pids cgroup the parent made for this grading slot (pids.max caps the
    processes, a fork bomb, also for root, where RLIMIT_NPROC is not enforced)."""
    if not group:
        return False
    try:
        with open(f"{group}/cgroup.procs", "w") as f:
            f.write(str(os.getpid()))
        return True
    except OSError:
        return False


def _python_dirs(under: str) -> list[str]:
    """The folders of this Python installation (prefixes and sys.path) below `under`,
    outermost only."""
    found = sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                                   *sys.path) if p and os.path.isdir(p)})
    outer = []
    for p in found:
        if p.startswith(under) and not any(p.startswith(o + os.sep) for o in outer):
            outer.append(p)
    return outer


def _namespaces(hide) -> list[str]:
    """New mount, network, IPC and PID namespaces: the course files hidden, every mount
    read-only, a private /tmp, no network. Needs root; returns what it achieved."""
    done = []
    if _libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWPID) != 0:
        return done
    done.append("network")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    hidden = [_mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0")
              if os.path.isdir(path) else _mount("/dev/null", path, None, MS_BIND)
              for path in hide if os.path.exists(path)]
    if all(hidden):
        done.append("hidden")
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    for point in points:
        _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_REC)
    _mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY)
    # A private /tmp; a Python installation that lives under /tmp (a CI checkout's venv) is
    # bound back into it, through descriptors opened before /tmp is covered.
    keep = {p: os.open(p, os.O_RDONLY | os.O_DIRECTORY) for p in _python_dirs("/tmp/")}
    if _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777"):
        done.append("readonly")
    for path, fd in keep.items():
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
        os.close(fd)
    for private in ("/dev/shm", "/run", "/var/tmp", "/var/run"):   # and their Unix sockets
        if os.path.isdir(private) and not os.path.islink(private):
            _mount("tmpfs", private, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m")
    return done


def _become_pid_one():
    """Fork into the new PID namespace: the grandchild is its init, so when it dies every
    process the student started dies with it. The middle process waits and mirrors its exit."""
    pid = os.fork()
    if pid:
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):              # die the same way, so the parent can name it
            sig = os.WTERMSIG(status)
            signal.signal(sig, signal.SIG_DFL)
            os.kill(os.getpid(), sig)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV)


def _drop_privileges():
    """No capabilities left (no remount, no raw sockets, no ptrace), and none to regain."""
    PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 38, 24
    for cap in range(64):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)       # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()                      # effective, permitted, inheritable = 0
    _libc.capset(header, data)
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def confine(memory_mb: int, cpu_s: int, hide=(), group: str | None = None) -> list[str]:
    """Isolate and limit this process before any student code runs; returns the protections
    in force (the parent warns about the missing ones)."""
    os.setsid()                                   # the parent kills the whole group
    done = []
    if os.geteuid() == 0:
        done += ["processes"] if _join_process_group(group) else []
        done += _namespaces(hide)
        if "network" in done:
            _become_pid_one()
        _drop_privileges()
    for res, value in ((resource.RLIMIT_AS, memory_mb << 20), (resource.RLIMIT_CPU, cpu_s),
                       (resource.RLIMIT_FSIZE, 16 << 20), (resource.RLIMIT_CORE, 0),
                       (resource.RLIMIT_NPROC, MAX_PROCESSES), (resource.RLIMIT_NOFILE, 256)):
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass
    workdir = tempfile.mkdtemp(prefix="submission-")
    os.chdir(workdir)
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "OPENBLAS_NUM_THREADS") if k in os.environ}
    os.environ.clear()                            # no secrets in the environment
    os.environ.update(keep, HOME=workdir)
    devnull = os.open(os.devnull, os.O_WRONLY)    # C-level writes to fd 1/2 go nowhere
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    return done


def _error_text(exc: BaseException, filename: str) -> str:
    """`ValueError: msg (line 12)` with the student's own innermost line, no internals."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    where = f" (line {line})" if line else ""
    return f"{type(exc).__name__}: {exc}{where}"[:500]


def _as_arrays(value, n_outputs):
    """The returned value as a list of numeric arrays, or a reason it is not one."""
    parts = value if n_outputs > 1 else (value,)
    if n_outputs > 1 and (not isinstance(value, (tuple, list)) or len(value) != n_outputs):
        return None, (f"returned {type(value).__name__}"
                      f"{f' of length {len(value)}' if isinstance(value, (tuple, list)) else ''}, "
                      f"expected a tuple of {n_outputs} arrays")
    arrays = []
    for part in parts:
        if part is None:
            return None, "returned None (is a `return` missing?)"
        try:
            a = np.array(part, copy=True)
        except Exception as e:
            return None, f"returned {type(part).__name__}, which is not an array ({e})"[:300]
        if a.dtype.kind not in "biuf":
            return None, f"returned {type(part).__name__} with dtype {a.dtype}, not numbers"
        if a.size > MAX_ELEMENTS:
            return None, f"returned too large an array ({a.size} elements, over {MAX_ELEMENTS})"
        arrays.append(np.array(a, dtype=np.float64, order="C").view(np.ndarray))
    return arrays, None


def _message(tag: bytes, meta: dict, arrays=()) -> bytes:
    """tag, a 4-byte header length, a JSON header (meta and the arrays' shapes), then the
    arrays' float64 bytes: a format that carries numbers and nothing else."""
    header = json.dumps({"meta": meta, "shapes": [list(a.shape) for a in arrays]}).encode()
    return b"".join([tag, len(header).to_bytes(4, "big"), header,
                     *(np.ascontiguousarray(a, dtype="<f8").tobytes() for a in arrays)])


def main(conn, cells, filename, calls, memory_mb, cpu_s, forbidden, hide=(), group=None):
    """Entry point of the child process. `calls`: (key, function, args, n_outputs) tuples."""
    send = conn.send_bytes
    protections = confine(memory_mb, cpu_s, hide, group)
    sys.meta_path.insert(0, _ImportGuard(forbidden))
    for name in list(sys.modules):
        if any(name == b or name.startswith(b + ".") for b in forbidden):
            del sys.modules[name]
    _stub_autograder()
    out = _Bounded()
    sys.stdout = sys.stderr = out
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    notes = []
    for index, cell in cells:
        try:
            exec(compile(cell, filename, "exec"), namespace)
        except BaseException as e:              # a cell's error must not stop the rest
            notes.append(f"cell {index}: {_error_text(e, filename)}")
    send(_message(b"L", {"notes": notes, "protections": protections}))
    for key, function, args, n_outputs in calls:
        fn = namespace.get(function)
        meta = {"key": key, "error": None, "raised": None, "seconds": 0.0}
        arrays = ()
        if not callable(fn):
            meta["error"] = "missing"
        else:
            call_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
            start = time.perf_counter()
            try:
                value = fn(*call_args)
            except BaseException as e:         # SystemExit and KeyboardInterrupt included
                meta["raised"] = type(e).__name__
                meta["error"] = _error_text(e, filename)
            else:
                arrays, reason = _as_arrays(value, n_outputs)
                if reason:
                    meta["error"], arrays = reason, ()
            meta["seconds"] = time.perf_counter() - start
        send(_message(b"C", meta, arrays))
    send(_message(b"D", {"stdout": out.getvalue()}))
    conn.close()
    os._exit(0)
