"""The program that runs inside the sandbox: a pristine fork server, and the child it forks
for each submission.

Started by `autograder.sandbox` under bubblewrap (an unprivileged uid in a user namespace, no
capabilities, a seccomp filter, an allow-list root filesystem). Imports only NumPy and the
standard library, so a submission costs a fork, not an interpreter start. The fork server
never runs student code and never reads anything the student wrote: it reads requests from
the trusted grader on fd 3 and reports exit statuses there.

Per submission, the forked child ("keeper") makes fresh user, mount, PID, IPC and UTS
namespaces and forks the "runner", the PID 1 of that new PID namespace: it cannot see or
signal the fork server, gets its own empty /tmp and /dev/shm (size-bounded tmpfs), no /proc,
no capabilities, rlimits, and a second, stricter seccomp filter (no namespaces, no
memfd). When the runner dies, the kernel kills every process it left behind.

The runner's only channel to the grader is the write end of a pipe the grader created for
this submission: a message is a tag byte, a 4-byte header length, a JSON header, then the
float64 bytes of the arrays the header lists. Nothing in it is executed or unpickled.
"""
from __future__ import annotations

import builtins
import contextlib
import ctypes
import io
import json
import os
import resource
import select
import signal
import socket
import struct
import sys
import traceback
import types

if __name__ == "__main__":          # the allowed packages' folder, before NumPy is imported
    sys.path[:0] = sys.argv[3:]

import numpy as np  # noqa: E402

MAX_TEXT = 20_000          # characters of captured stdout/stderr sent back
MAX_CALL_TEXT = 2_000      # of them printed by one call (each call's own, in its answer)
MAX_ELEMENTS = 4_000_000   # elements of one returned array

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x4000000, 0x8000000
CLONE_NEWUSER, CLONE_NEWPID = 0x10000000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2

try:
    _libc = ctypes.CDLL(None, use_errno=True)
    _libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
except (OSError, AttributeError, TypeError):    # not Linux: only as_arrays is used (check())
    _libc = None


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


# ---------------------------------------------------------------- the child's confinement

def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _mount_tmpfs(target: str, options: str, flags: int = 0) -> None:
    _check(_libc.mount(b"tmpfs", target.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | flags,
                       options.encode()), f"mount {target}")


def _new_namespaces() -> None:
    """Fresh namespaces for one submission (the keeper calls this; its next child is PID 1)."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS),
           "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")


def _private_filesystems(tmp_mb: int) -> None:
    """An empty /tmp and /dev/shm of bounded size, and no /proc (the fork server's would be
    there otherwise)."""
    _mount_tmpfs("/tmp", f"size={tmp_mb}m,mode=1777")
    if os.path.isdir("/dev/shm"):
        _mount_tmpfs("/dev/shm", "size=1m,mode=1777")
    _mount_tmpfs("/proc", "size=4k,mode=555", MS_RDONLY | MS_NOEXEC)


def _drop_capabilities() -> None:
    """The runner holds every capability of its own new user namespace: give them all up,
    for good, before any student code runs."""
    for cap in range(64):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)        # _LINUX_CAPABILITY_VERSION_3, self
    _check(_libc.capset(header, (ctypes.c_uint32 * 6)()), "capset")


def _load_seccomp(program: bytes) -> None:
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    if not program:
        return
    buf = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // 8, ctypes.addressof(buf))
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0),
           "seccomp")


def _set_limits(limits: dict) -> None:
    for res, value in ((resource.RLIMIT_AS, limits["memory_mb"] << 20),
                       (resource.RLIMIT_CPU, limits["cpu_s"]),
                       (resource.RLIMIT_FSIZE, limits["file_mb"] << 20),
                       (resource.RLIMIT_CORE, 0),
                       (resource.RLIMIT_NPROC, limits["processes"]),
                       (resource.RLIMIT_NOFILE, 64),
                       (resource.RLIMIT_MEMLOCK, 0),
                       (resource.RLIMIT_MSGQUEUE, 0)):
        resource.setrlimit(res, (value, value))


def _only_fd(keep: int) -> None:
    """stdin, stdout and stderr on /dev/null; every other descriptor but `keep` closed."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)
    if null > 2 and null != keep:
        with contextlib.suppress(OSError):
            os.close(null)


# ---------------------------------------------------------------- running student code

class _Bounded(io.StringIO):
    """A stdout that keeps the first `limit` characters and drops the rest."""

    def __init__(self, limit: int = MAX_TEXT):
        super().__init__()
        self.limit = limit

    def write(self, s):
        room = self.limit - self.tell()
        if room > 0:
            super().write(str(s)[:room])
        return len(s)


class _ImportGuard:
    """A friendly message for forbidden modules (they are absent from the sandbox's
    filesystem anyway; this only says why)."""

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


def _error_text(exc: BaseException, filename: str) -> str:
    """`ValueError: msg (line 12)` with the student's own innermost line, no internals."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    where = f" (line {line})" if line else ""
    try:
        text = f"{type(exc).__name__}: {exc}"
    except BaseException:                   # a __str__ that raises
        text = type(exc).__name__
    return f"{text[:480]}{where}"


def _flatten(value, layout):
    """The arrays of a value made of arrays and dicts of arrays (`layout`: one entry per
    returned value, None for an array, the keys of a dict), in layout's order; or why not."""
    parts = value if len(layout) > 1 else (value,)
    if len(layout) > 1 and (not isinstance(value, (tuple, list)) or len(value) != len(layout)):
        return None, (f"returned {type(value).__name__}"
                      f"{f' of length {len(value)}' if isinstance(value, (tuple, list)) else ''}, "
                      f"expected a tuple of {len(layout)} values")
    flat = []
    for part, keys in zip(parts, layout):
        if keys is None:
            flat.append(part)
            continue
        if not isinstance(part, dict):
            return None, (f"returned {type(part).__name__} where a dict with the keys "
                          f"{' '.join(keys)} is expected")
        try:                                    # a dict subclass may raise on any access
            missing = [k for k in keys if k not in part]
            if missing:
                return None, f"returned a dict without the key(s) {' '.join(missing)}"
            flat.extend(part[k] for k in keys)
        except Exception as e:
            return None, f"returned a dict that cannot be read ({type(e).__name__})"
    return flat, None


def as_arrays(value, n_outputs, layout=None):
    """The returned value as a list of numeric arrays, or a reason it is not one (the one
    rule for what a function may return: the sandbox and check() both apply it). `layout`
    (Problem.returns) describes a value that holds dicts: their arrays, in its key order."""
    if layout:
        parts, reason = _flatten(value, layout)
        if reason:
            return None, reason
        if len(parts) != n_outputs:
            return None, f"returned {len(parts)} arrays, expected {n_outputs}"
    else:
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


def message(tag: bytes, meta: dict, arrays=()) -> bytes:
    """tag, a 4-byte header length, a JSON header (meta and the arrays' shapes), then the
    arrays' float64 bytes: a format that carries numbers and nothing else."""
    header = json.dumps({"meta": meta, "shapes": [list(a.shape) for a in arrays]}).encode()
    return b"".join([tag, len(header).to_bytes(4, "big"), header,
                     *(np.ascontiguousarray(a, dtype="<f8").tobytes() for a in arrays)])


def _send(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def run_submission(out_fd: int, request: dict, args: list) -> None:
    """Run the cells, then every call; one message each. Never returns normally."""
    filename = request["filename"]
    runner = os.getpid()

    def send(data: bytes) -> None:
        if os.getpid() != runner:          # a copy the student's code forked never speaks:
            os._exit(0)                    # its answers would interleave with the runner's
        _send(out_fd, data)

    sys.meta_path.insert(0, _ImportGuard(request["forbidden"]))
    _stub_autograder()
    out = _Bounded()
    sys.stdout = sys.stderr = out
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    notes = []
    for index, cell in request["cells"]:
        try:
            exec(compile(cell, filename, "exec"), namespace)
        except BaseException as e:              # a cell's error must not stop the rest
            notes.append(f"cell {index}: {_error_text(e, filename)}")
    send(message(b"L", {"notes": notes[:50]}))
    for (key, function, n_outputs, layout, _), call_args in zip(request["calls"], args):
        fn = namespace.get(function)
        meta = {"key": key, "error": None, "raised": None, "raised_mro": []}
        arrays = ()
        if not callable(fn):
            meta["error"] = "missing"
        else:
            printed = _Bounded(MAX_CALL_TEXT)      # what this call prints, sent with its answer
            sys.stdout = sys.stderr = printed
            try:
                value = fn(*[fresh_copy(a) for a in call_args])
            except BaseException as e:         # SystemExit and KeyboardInterrupt included
                meta["raised"] = type(e).__name__
                meta["raised_mro"] = [c.__name__ for c in type(e).__mro__][:20]
                meta["error"] = _error_text(e, filename)
            else:
                arrays, reason = as_arrays(value, n_outputs, layout)
                if reason:
                    meta["error"], arrays = reason, ()
            finally:
                sys.stdout = sys.stderr = out
            meta["stdout"] = printed.getvalue()[:MAX_CALL_TEXT]
        send(message(b"C", meta, arrays))
    send(message(b"D", {"stdout": out.getvalue()}))
    os._exit(0)


# ---------------------------------------------------------------- the fork server

def fresh_copy(value):
    """A call's own copy of an argument (a list or dict of arrays: a new one of copies)."""
    if isinstance(value, dict):
        return {k: fresh_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh_copy(v) for v in value]
    return value.copy() if isinstance(value, np.ndarray) else value


def _decode_arg(spec: dict, data: bytes, offset: int):
    """One argument from its spec: a value, an array (raw bytes at offset), or a list or a
    dict of arrays."""
    if "v" in spec:
        return spec["v"], offset
    if "list" in spec:
        out = []
        for item in spec["list"]:
            value, offset = _decode_arg(item, data, offset)
            out.append(value)
        return out, offset
    if "d" in spec:
        out = {}
        for key, item in spec["d"]:
            out[str(key)], offset = _decode_arg(item, data, offset)
        return out, offset
    dtype = np.dtype(spec["dtype"]).newbyteorder("<")
    count = int(np.prod(spec["shape"], dtype=np.int64))
    array = np.frombuffer(data, dtype=dtype, count=count, offset=offset) \
        .reshape(spec["shape"]).astype(dtype.newbyteorder("="))
    return array, offset + count * dtype.itemsize


def decode_request(data: bytes) -> tuple[dict, list]:
    """The grader's request: a JSON header, then the calls' array arguments, raw (an
    argument may be a list of arrays: a list of gradients)."""
    size = int.from_bytes(data[:4], "big")
    request = json.loads(data[4:4 + size])
    offset, all_args = 4 + size, []
    for *_, specs in request["calls"]:
        args = []
        for spec in specs:
            value, offset = _decode_arg(spec, data, offset)
            args.append(value)
        all_args.append(args)
    return request, all_args


def _recv_request(ctl: socket.socket):
    """(request bytes, the result pipe's write end) or None at end of input. A request is
    b"Q", an 8-byte length and the bytes, with the pipe's descriptor attached; a b"K" that
    arrives here came after its child had already exited, and is dropped."""
    head, fds = b"", []
    while len(head) < 9:
        data, more_fds, _, _ = socket.recv_fds(ctl, 9 - len(head), 1)
        if not data:
            return None
        fds += more_fds
        head = (head + data).lstrip(b"K")
    size = int.from_bytes(head[1:9], "big")
    chunks, got = [], 0
    while got < size:
        chunk = ctl.recv(min(size - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    if head[:1] != b"Q" or len(fds) != 1:
        for fd in fds:
            os.close(fd)
        return b"", -1
    return b"".join(chunks), fds[0]


def _keeper(out_fd: int, pid_w: int, request: dict, args: list, isolate: bool) -> None:
    """The forked child: new namespaces, then the runner as their PID 1; waits for it and
    exits the way it did."""
    try:
        os.setsid()                  # kill(0) from below never reaches the fork server
        if isolate:
            _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)     # to write its own uid_map
            _new_namespaces()
        runner = os.fork()
    except BaseException:
        os._exit(70)
    if runner == 0:
        try:
            os.close(pid_w)
            os.setsid()              # nor the keeper
            _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            limits = request["limits"]
            if isolate:
                _write("/proc/self/oom_score_adj", "1000")   # the first to go, not the server
                _private_filesystems(limits["tmp_mb"])
                _drop_capabilities()
            os.chdir("/tmp")
            _only_fd(out_fd)
            os.environ.clear()
            os.environ.update(HOME="/tmp", LANG="C.UTF-8", OPENBLAS_NUM_THREADS="1",
                              OMP_NUM_THREADS="1")
            _set_limits(limits)
            _load_seccomp(bytes.fromhex(request["seccomp"]))
            _send(out_fd, message(b"R", {}))
        except BaseException as e:           # the sandbox could not be set up: not a grade
            with contextlib.suppress(OSError):
                _send(out_fd, message(b"E", {"error": f"{type(e).__name__}: {e}"[:300]}))
            os._exit(71)
        run_submission(out_fd, request, args)
    os.close(out_fd)
    os.write(pid_w, runner.to_bytes(8, "big"))
    os.close(pid_w)
    os.closerange(0, 1 << 16)
    while True:
        try:
            _, status = os.waitpid(runner, 0)
            break
        except ChildProcessError:
            os._exit(72)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):                # die the same way, so the grader can name it
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _status(tag: bytes, value: int) -> bytes:
    return tag + struct.pack(">q", value)


def serve(control_fd: int, isolate: bool) -> None:
    """Fork a keeper per request; report its exit status ("X") or a failed fork ("F");
    kill its runner on "K"."""
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)   # no /proc/PID/mem for anyone in the sandbox
    ctl = socket.socket(fileno=control_fd)
    while True:
        received = _recv_request(ctl)
        if received is None:
            return
        data, out_fd = received
        if out_fd < 0:
            ctl.sendall(_status(b"F", 0))
            continue
        try:
            request, args = decode_request(data)
            pid_r, pid_w = os.pipe()
            keeper = os.fork()
        except OSError as e:                    # EAGAIN and friends: the grader retries
            os.close(out_fd)
            ctl.sendall(_status(b"F", e.errno or 0))
            continue
        if keeper == 0:
            ctl.close()
            os.close(pid_r)
            _keeper(out_fd, pid_w, request, args, isolate)
        os.close(out_fd)
        os.close(pid_w)
        runner = int.from_bytes(os.read(pid_r, 8) or b"\0", "big")
        os.close(pid_r)
        pidfd = os.pidfd_open(keeper)
        while True:
            ready, _, _ = select.select([ctl, pidfd], [], [])
            if pidfd in ready:
                _, status = os.waitpid(keeper, 0)
                break
            if not ctl.recv(1):                 # the grader is gone
                os.kill(runner or keeper, signal.SIGKILL)
                return
            for pid in (runner, keeper):        # "K": kill this submission
                if pid:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
        os.close(pidfd)
        ctl.sendall(_status(b"X", os.waitstatus_to_exitcode(status)))


def main() -> None:
    serve(int(sys.argv[2]), isolate=sys.argv[1] == "--isolate")


if __name__ == "__main__":
    main()
