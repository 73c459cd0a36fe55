"""How the jail is built: bubblewrap's command line, the seccomp filters, the cgroups.

Why bubblewrap: it is Flatpak's sandbox, maintained and audited, packaged everywhere
(Debian's `bubblewrap`), works without root through user namespaces, and starts in
milliseconds; nsjail is not packaged in Debian, and gVisor's runsc (a user-space kernel)
would cost an OCI bundle and far more per start. The design's default is "nothing": the
sandbox's root is an empty tmpfs into which only an allow-list is bound read-only (the
interpreter and its standard library, the C library's folder, the course's allowed packages
and the worker script). Nothing else of the machine exists in there, whatever the grader's
working folder or `sys.path`.

When the grader runs as root, the sandbox does not: bubblewrap is started as `nobody`
through `setpriv`, so every process in it is an unprivileged uid of the host. (The paths it
binds are first bound, as root, into a private mount namespace under a folder `nobody` can
traverse; a Python installed under /root would otherwise be out of its reach.) As root, a
memory and a pids cgroup per grading slot bound what page cache, tmpfs and memfd pages
could otherwise escape.
"""
from __future__ import annotations

import atexit
import functools
import glob
import importlib.metadata
import os
import shlex
import shutil
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograder import libraries

SANDBOX_UID = 1000                   # the uid inside the sandbox
HOST_USER = int(os.environ.get("AUTOGRADER_SANDBOX_HOST_UID", "65534"))   # nobody, as root
WORKER = Path(__file__).with_name("sandbox_worker.py")
SITE = "/sandbox/site"               # where the allowed packages appear inside
WORKER_OVERHEAD_MB = 256             # the fork server and keeper, beside the student's limit


class SandboxUnavailable(Exception):
    """This machine cannot set the sandbox up; the message says what is missing and how to
    get it."""


@dataclass(frozen=True)
class Policy:
    """What one submission may use. The fields up to `unsafe` shape the sandbox itself (one
    worker per distinct value); the rest are per submission."""
    allowed_packages: tuple[str, ...] = ("numpy", "scipy")
    forbidden: tuple[str, ...] = ("torch",)
    memory_mb: int = 2048
    unsafe: bool = False
    timeout_s: float = 10.0          # wall time of loading, and of each call
    tmp_mb: int = 64                 # the private /tmp
    file_mb: int = 16                # the largest file it may write
    processes: int = 32              # processes and threads

    @property
    def worker_key(self) -> tuple:
        return (self.allowed_packages, self.forbidden, self.memory_mb, self.unsafe)


# ----------------------------------------------------------------------------- seccomp

# Refused for everything in the sandbox, the fork server included.
DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "reboot", "swapon", "swapoff", "syslog", "acct", "quotactl", "lookup_dcookie",
    "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "fanotify_init",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "setdomainname", "sethostname",
    "vhangup", "uselib", "personality", "process_madvise", "setns",
    "mount_setattr", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
)
# Refused to student code too: what the keeper needs once to build a submission's namespaces.
DENIED_TO_STUDENT = ("unshare", "mount", "umount2", "pivot_root", "chroot", "memfd_create",
                     "memfd_secret")
NAMESPACE_FLAGS = (0x20000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000,
                   0x2000000)            # CLONE_NEW{NS,UTS,IPC,USER,PID,NET,CGROUP}
TIOCSTI, TIOCLINUX = 0x5412, 0x541C      # typing into a terminal


@functools.lru_cache(maxsize=None)
def seccomp_programs() -> tuple[bytes, bytes]:
    """(the whole sandbox's filter, the student's stricter one) as BPF, built with
    libseccomp. Refused calls fail with EPERM; clone3 with ENOSYS, so that the C library
    falls back to clone, whose flags a filter can read."""
    try:
        import pyseccomp as sc
    except Exception as e:      # the module, or libseccomp.so.2 that it loads
        raise SandboxUnavailable(f"libseccomp is not usable ({e}); install it with "
                                 "`apt-get install libseccomp2` and `pip install pyseccomp`")

    def build(denied, student: bool) -> bytes:
        f = sc.SyscallFilter(sc.ALLOW)
        for name in denied:
            try:
                f.add_rule(sc.ERRNO(1), name)
            except (RuntimeError, ValueError, OSError):     # unknown on this architecture
                continue
        f.add_rule(sc.ERRNO(38), "clone3")
        for request in (TIOCSTI, TIOCLINUX):
            f.add_rule(sc.ERRNO(1), "ioctl", sc.Arg(1, sc.EQ, request))
        if student:
            for flag in NAMESPACE_FLAGS:
                f.add_rule(sc.ERRNO(1), "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
            f.add_rule(sc.ERRNO(97), "socket", sc.Arg(0, sc.NE, 1))   # AF_UNIX only
        with tempfile.TemporaryFile() as out:
            f.export_bpf(out)
            out.seek(0)
            return out.read()

    return build(DENIED, False), build(DENIED + DENIED_TO_STUDENT, True)


# ----------------------------------------------------------------------------- filesystem

@dataclass(frozen=True)
class Bind:
    source: str
    dest: str
    tree: str = ""          # the bound folder it belongs to (one staging mount per tree)

    @property
    def folder(self) -> str:
        return self.tree or (self.source if os.path.isdir(self.source)
                             else os.path.dirname(self.source))


def _bind_except(source: str, dest: str, absent: set[str], tree: str) -> list[Bind]:
    """Bind `source` at `dest`, except the relative paths in `absent`: the folders on their
    way are rebuilt from their other entries, so an absent module is not there at all (an
    empty folder in its place would still import, as a namespace package)."""
    if not absent:
        return [Bind(source, dest, tree)]
    binds = []
    for entry in sorted(os.listdir(source)):
        if entry in absent:
            continue
        below = {a.split("/", 1)[1] for a in absent if a.startswith(entry + "/")}
        binds += _bind_except(os.path.join(source, entry), f"{dest}/{entry}", below, tree)
    return binds


def _absent_inside(root: str, forbidden: tuple[str, ...]) -> set[str]:
    """What of an allowed package must not exist in the sandbox: its forbidden submodules
    (scipy.signal), and anything named after a forbidden package (scipy's shim folder
    array_api_compat/torch, which would import the real one)."""
    name = os.path.basename(root)
    absent = set()
    tops = {m.split(".")[0] for m in forbidden}
    for module in forbidden:
        top, *rest = module.split(".")
        if rest and top == name:
            for candidate in ("/".join(rest), "/".join(rest) + ".py"):
                if os.path.lexists(os.path.join(root, candidate)):
                    absent.add(candidate)
    for folder, dirs, files in os.walk(root):
        for entry in dirs + files:
            if entry.removesuffix(".py") in tops:
                absent.add(os.path.relpath(os.path.join(folder, entry), root))
    return absent


def _package_roots(name: str) -> list[str]:
    """The top-level folders and modules of an installed distribution (numpy and numpy.libs)."""
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return []
    tops = set()
    for f in dist.files or ():
        first = f.parts[0]
        if first.endswith((".dist-info", ".egg-info")) or first in ("..", "__pycache__") \
                or first.endswith(".pth"):
            continue
        tops.add(first)
    base = Path(dist.locate_file(""))
    return sorted(str(base / t) for t in tops if (base / t).exists())


@functools.lru_cache(maxsize=None)
def filesystem(allowed_packages: tuple[str, ...], forbidden: tuple[str, ...]
               ) -> tuple[tuple[Bind, ...], tuple[str, ...], str]:
    """(read-only binds, folders covered by an empty tmpfs, the interpreter's path inside):
    the whole of what the sandbox can see."""
    python = os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)
    stdlib = os.path.dirname(os.path.realpath(os.__file__))       # the base install's, not a venv's
    dynload = sysconfig.get_config_var("DESTSHARED") or stdlib          # C extension modules
    platstdlib = os.path.realpath(dynload if os.path.isdir(dynload) else stdlib)
    binds = [Bind(python, python), Bind(stdlib, stdlib)]
    if not (platstdlib + os.sep).startswith(stdlib + os.sep):
        binds.append(Bind(platstdlib, platstdlib))
    covers = [os.path.join(d, sub) for d in {stdlib, platstdlib}
              for sub in ("site-packages", "dist-packages") if os.path.isdir(os.path.join(d, sub))]
    for name in allowed_packages:
        if name in forbidden:                     # a whole package forbidden: not bound at all
            continue
        for root in _package_roots(name):
            real = os.path.realpath(root)
            binds += _bind_except(real, f"{SITE}/{os.path.basename(root)}",
                                  _absent_inside(real, forbidden), real if os.path.isdir(real) else "")
    binds.append(Bind(str(WORKER), "/sandbox/worker.py"))
    # the shared libraries all of that loads, file by file
    trees = [b.source + os.sep for b in binds]
    objects = [python, *glob.glob(os.path.join(platstdlib, "*.so"))]
    objects += [f for b in binds if b.dest.startswith(SITE + "/")
                for f in glob.glob(f"{b.source}/**/*.so*", recursive=True)]
    libs, loaders = libraries.closure(objects)
    for dest, real in sorted(libs.items()):
        if not real.startswith(tuple(trees)):
            binds.append(Bind(real, dest))
    binds += [Bind(os.path.realpath(loader), loader) for loader in sorted(loaders)]
    return tuple(dict.fromkeys(binds)), tuple(dict.fromkeys(covers)), python


# ----------------------------------------------------------------------------- cgroups

class SlotCgroups:
    """A memory and a pids cgroup (v1 or v2) for one grading slot, made only as root; the
    launcher moves itself in before it starts bubblewrap, so everything inside counts."""
    _counter = 0
    _lock = threading.Lock()

    def __init__(self, memory_mb: int, processes: int):
        with SlotCgroups._lock:
            SlotCgroups._counter += 1
            name = f"autograder/{os.getpid()}-{SlotCgroups._counter}"
            if SlotCgroups._counter == 1:
                _remove_stale_groups()
        self.folders: list[str] = []
        memory = (memory_mb + WORKER_OVERHEAD_MB) << 20
        v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
        try:
            if v2:
                parent = "/sys/fs/cgroup/autograder"
                os.makedirs(parent, exist_ok=True)
                for path in ("/sys/fs/cgroup/cgroup.subtree_control", f"{parent}/cgroup.subtree_control"):
                    _write(path, "+memory +pids")
                self._make(f"/sys/fs/cgroup/{name}", {"memory.max": memory, "memory.swap.max": 0,
                                                      "pids.max": processes * 2 + 8})
            else:
                self._make(f"/sys/fs/cgroup/memory/{name}", {"memory.limit_in_bytes": memory,
                                                             "memory.memsw.limit_in_bytes": memory})
                self._make(f"/sys/fs/cgroup/pids/{name}", {"pids.max": processes * 2 + 8})
        except OSError as e:
            self.remove()
            raise SandboxUnavailable(f"cannot set up the sandbox's cgroups ({e})") from None

    def _make(self, folder: str, settings: dict) -> None:
        os.makedirs(folder, exist_ok=True)
        self.folders.append(folder)
        for key, value in settings.items():
            if os.path.exists(f"{folder}/{key}"):
                _write(f"{folder}/{key}", str(value))
            elif key != "memory.memsw.limit_in_bytes":   # absent without swap accounting
                raise OSError(f"{folder}/{key} does not exist")

    @property
    def procs(self) -> list[str]:
        return [f"{f}/cgroup.procs" for f in self.folders]

    def remove(self) -> None:
        """Remove the folders (once the killed processes have left them: up to a second)."""
        for folder in reversed(self.folders):
            for _ in range(50):
                try:
                    os.rmdir(folder)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def _remove_stale_groups() -> None:
    """Groups left by a grader that was killed (named after its pid, now gone)."""
    for parent in ("/sys/fs/cgroup/autograder", "/sys/fs/cgroup/memory/autograder",
                   "/sys/fs/cgroup/pids/autograder"):
        try:
            names = os.listdir(parent)
        except OSError:
            continue
        for name in names:
            owner = name.split("-")[0]
            if owner.isdigit() and not os.path.exists(f"/proc/{owner}"):
                try:
                    os.rmdir(f"{parent}/{name}")
                except OSError:
                    pass


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


@functools.lru_cache(maxsize=None)
def _staging_root() -> str:
    """A root-owned folder `nobody` can traverse, holding empty mount points."""
    folder = tempfile.mkdtemp(prefix="autograder-stage-")
    os.chmod(folder, 0o755)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)   # empty folders on the host
    return folder


# ----------------------------------------------------------------------------- the command

def command(policy: Policy, control_fd: int, seccomp_fd: int, cgroups: SlotCgroups | None
            ) -> list[str]:
    """The argv that starts one sandboxed fork server."""
    if policy.unsafe:
        roots = {str(Path(r).parent) for n in policy.allowed_packages for r in _package_roots(n)}
        return [sys.executable, "-I", "-S", "-B", str(WORKER), "--unsafe", str(control_fd),
                *sorted(roots)]
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap is not installed (`apt-get install bubblewrap`); "
                                 "it runs student code in the sandbox")
    binds, covers, python = filesystem(policy.allowed_packages, policy.forbidden)
    as_root = os.geteuid() == 0
    args = [bwrap, "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net",
            "--unshare-uts", "--unshare-cgroup-try", "--uid", str(SANDBOX_UID),
            "--gid", str(SANDBOX_UID), "--hostname", "sandbox", "--die-with-parent",
            "--new-session", "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev",
            "--size", str(1 << 20), "--tmpfs", "/tmp"]
    stages: dict[str, str] = {}            # a bound folder -> its reachable copy (as root)
    for bind in binds:
        source = bind.source
        if as_root:                     # bwrap runs as nobody: hand it a reachable copy
            folder = bind.folder
            if folder not in stages:
                stages[folder] = os.path.join(_staging_root(), str(len(stages)))
                os.makedirs(stages[folder], exist_ok=True)
            source = os.path.normpath(os.path.join(stages[folder],
                                                   os.path.relpath(source, folder)))
        args += ["--ro-bind", source, bind.dest]
    for cover in covers:
        args += ["--size", "4096", "--tmpfs", cover, "--remount-ro", cover]
    args += ["--remount-ro", "/", "--seccomp", str(seccomp_fd), "--chdir", "/",
             python, "-I", "-S", "-B", "/sandbox/worker.py", "--isolate", str(control_fd), SITE]
    if not as_root:
        return args
    for tool in ("unshare", "setpriv", "mount"):
        if shutil.which(tool) is None:
            raise SandboxUnavailable(f"`{tool}` (util-linux) is needed to run the sandbox as "
                                     "an unprivileged user when grading as root")
    script = ["set -e"]
    script += [f"mount --bind {shlex.quote(src)} {shlex.quote(dst)}" for src, dst in stages.items()]
    script += [f"echo $$ > {shlex.quote(p)}" for p in (cgroups.procs if cgroups else [])]
    script.append(f"exec setpriv --reuid={HOST_USER} --regid={HOST_USER} --clear-groups -- "
                  + " ".join(shlex.quote(a) for a in args))
    return ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
            "\n".join(script)]


def explain_failure(stderr: str) -> str:
    """bubblewrap's own complaint, with what to do about it."""
    line = next((l for l in stderr.splitlines() if l.strip()), "no output")[:300]
    if "namespace" in line.lower() or "uid map" in line.lower() or "setting up uid" in line.lower():
        return (f"the sandbox cannot start: {line} (user namespaces are disabled: "
                "`sysctl -w kernel.unprivileged_userns_clone=1 user.max_user_namespaces=15000`, "
                "or in a container run it with --security-opt seccomp=unconfined or --privileged)")
    return f"the sandbox cannot start: {line}"
