"""Escape attempts against the sandbox (bubblewrap + user/PID/mount/IPC/UTS/network namespaces +
seccomp + an allow-list root filesystem; see autograder/isolation.py and sandbox_worker.py),
one probe per file in `escape/`.

Every probe is SAFE TO RUN EVEN IF THE SANDBOX WERE BROKEN: it proves a capability by opening
for writing without writing, by asking in a way that cannot take effect (a file system type
that does not exist, a host name too long, wrong reboot magic), or by reading and reporting;
whatever it plants carries this run's marker and is removed by the test. Signals are sent only
where the probe is PID 1 of its own PID namespace.

A probe is run as a submission: the hostile part of `escape/NAME.py` is executed (`exec`) in
the submission's namespace after a prelude that gives it `report` (a dict), `libc` and
`sys_call(nr, *args) -> [ret, errno]`; the report comes back as one line of the submission's
stdout. Expected outcomes are in `PROBES` (a check per probe) and in the batch tests below.

Parts:
- single probes, run one after the other on one grading slot (so "planted by one submission,
  looked for by the next" runs on the same worker);
- the host's view of a running child (its uid, capabilities, seccomp) and of the fork server;
- batches of honest submissions (the reference: full marks) with attackers among them: the
  fork-server killers, the setsid survivor, the protocol bombs, terminal escapes;
- the CLI run from inside an nbgrader course folder (cwd and PYTHONPATH in it) on a terminal;
- the same as `nobody` (no root): graded with isolation where user namespaces exist, refused
  (exit 2, one line) where they do not or bubblewrap is missing.
"""
from __future__ import annotations

import dataclasses
import errno
import json
import os
import platform
import pty
import re
import resource
import select
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder import sandbox
from autograder.batch import Item, grade_all
from autograder.course import load_course
from autograder.report import render_json, render_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROBE_DIR = HERE / "escape"
ASSIGNMENT = "01_convolution"
FULL = 13.0

MARKER = f"esc{uuid.uuid4().hex[:12]}"
COMM = MARKER[:15]                            # what PR_SET_NAME keeps
# The course secret of this test process: test_adversarial sets it at collection; alone, set here.
os.environ.setdefault("AUTOGRADER_SECRET", uuid.uuid4().hex + uuid.uuid4().hex)
SECRET = os.environ["AUTOGRADER_SECRET"]
FILE_SECRET = uuid.uuid4().hex + uuid.uuid4().hex      # the secret file of the course folder
IPC_KEY = 0x5E000000 | (int(uuid.uuid4().hex[:5], 16))
X86_64 = platform.machine() == "x86_64"
AS_ROOT = os.geteuid() == 0
EPERM, ENOENT, ENXIO, EAFNOSUPPORT = errno.EPERM, errno.ENOENT, errno.ENXIO, errno.EAFNOSUPPORT
ALLOWED_DEV = {"null", "zero", "urandom", "random", "full", "tty", "ptmx", "pts", "shm", "fd",
               "stdin", "stdout", "stderr", "core", "mqueue"}

PRELUDE = r'''
import ctypes as _ctypes
import json as _json
import numpy as np

report = {}
libc = _ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = _ctypes.c_long


def sys_call(nr, *args):
    """[return value, errno] of a raw system call."""
    conv = []
    for a in args:
        if a is None:
            conv.append(_ctypes.c_void_p(0))
        elif isinstance(a, bytes):
            conv.append(_ctypes.c_char_p(a))
        elif isinstance(a, int):
            conv.append(_ctypes.c_long(a))
        else:
            conv.append(a)
    _ctypes.set_errno(0)
    ret = libc.syscall(_ctypes.c_long(nr), *conv)
    return [int(ret), _ctypes.get_errno()]


def probe():
    return np.zeros(1)
'''

RUN_BODY = r'''
try:
    exec(compile({body!r}, "<escape/{name}.py>", "exec"), globals())
except BaseException as _e:
    report["crashed"] = f"{{type(_e).__name__}}: {{_e}}"[:300]
print("@@REPORT@@" + _json.dumps(report, default=str))
'''


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    missing = re.findall(r"\{\{[A-Z_0-9]+\}\}", text)
    assert not missing, f"unfilled placeholders {missing}"
    return text


def probe_source(name: str, values: dict[str, str]) -> str:
    """The probe as a submission's code: the prelude, then its body, then the report."""
    body = fill((PROBE_DIR / f"{name}.py").read_text(encoding="utf-8"), values)
    return PRELUDE + RUN_BODY.format(body=body, name=name)


def attacker_source(name: str, reference: str, values: dict[str, str]) -> str:
    """A batch attacker: the reference (full marks if nothing goes wrong), then the attack."""
    text = fill((PROBE_DIR / f"{name}.py").read_text(encoding="utf-8"), values)
    parts = [reference]
    if "result_pipe()" in text:
        parts.append("# ---- hostile part: tests/adversarial/escape/_result_pipe.py")
        parts.append((PROBE_DIR / "_result_pipe.py").read_text(encoding="utf-8"))
    parts.append(f"# ---- hostile part: tests/adversarial/escape/{name}.py")
    parts.append(text)
    return "\n".join(parts)


def parse_report(stdout: str) -> dict | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith("@@REPORT@@"):
            return json.loads(line[len("@@REPORT@@"):])
    return None


# ------------------------------------------------------------------ the host's side
def host_processes() -> dict[int, dict]:
    """pid -> {comm, cmdline, status fields} of every process on the host (as the test sees)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                status = dict(line.split(":\t", 1) for line in f.read().splitlines() if ":\t" in line)
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("latin-1")
        except (OSError, ValueError):
            continue
        status = {k: v.strip() for k, v in status.items()}
        found[int(entry)] = {"comm": status.get("Name", ""), "cmdline": cmdline, **status}
    return found


def marker_pids() -> list[int]:
    return [pid for pid, p in host_processes().items() if p["comm"].startswith(COMM[:12])]


def fork_servers() -> set[int]:
    """The sandboxed fork servers running now (the interpreter running /sandbox/worker.py)."""
    return {pid for pid, p in host_processes().items()
            if "/sandbox/worker.py" in p["cmdline"] and not p["cmdline"].startswith(("bwrap", "/usr/bin/bwrap", "unshare", "setpriv"))
            and p["comm"] not in ("bwrap", "unshare", "setpriv", "sh")}


def kill_marker_processes() -> None:
    for pid in marker_pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def remove_host_ipc() -> None:
    """What a broken sandbox would have left on the host under this run's IPC key."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        for get, ctl, args in ((libc.shmget, libc.shmctl, (0, 0)), (libc.semget, libc.semctl, (0, 0)),
                               (libc.msgget, libc.msgctl, (0,))):
            ident = get(IPC_KEY, *args)
            if ident >= 0:
                ctl(ident, 0, None) if ctl is not libc.semctl else ctl(ident, 0, 0)   # IPC_RMID
    except Exception:
        pass


# ------------------------------------------------------------------ the world the probes look at
@dataclasses.dataclass
class World:
    course: object
    policy: object
    reference: str
    values: dict
    needles: list
    listeners: dict
    other_checkout: Path


def _listener(family, kind, address):
    s = socket.socket(family, kind)
    s.bind(address)
    if kind == socket.SOCK_STREAM:
        s.listen(16)
    s.setblocking(False)
    return s


def _drain(s) -> list:
    got = []
    while True:
        try:
            if s.type == socket.SOCK_STREAM:
                conn, _ = s.accept()
                conn.close()
                got.append("connection")
            else:
                got.append(s.recv(100))
        except (BlockingIOError, OSError):
            return got


def _reference_needles(reference_dir: Path) -> list[str]:
    """Lines of the reference solutions distinctive enough to prove a file is one of them."""
    needles = []
    for path in sorted(reference_dir.glob("*.py")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                 if len(ln.strip()) > 40 and not ln.strip().startswith(("#", '"', "'"))]
        needles += lines[len(lines) // 2: len(lines) // 2 + 1]
    return needles


def _plant_other_checkout(base: Path) -> None:
    """A second checkout of the course (with its own reference, secret and a Python
    environment holding torch), outside every path the grader knows."""
    shutil.copytree(ROOT / "reference", base / "reference")
    (base / "reference" / "convolution.py").write_text(
        (ROOT / "reference" / "convolution.py").read_text() + f"\n# {MARKER}-other-reference\n")
    shutil.copy(ROOT / "course.yaml", base / "course.yaml")
    (base / ".autograder-secret").write_text(FILE_SECRET + "\n")
    torch_dir = base / "venv" / "lib" / "python3.11" / "site-packages" / "torch"
    torch_dir.mkdir(parents=True)
    (torch_dir / "__init__.py").write_text(f'"""{MARKER}-fake-torch"""\nLOADED = True\n')
    os.chmod(base, 0o755)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    course = dataclasses.replace(load_course(ROOT / "course.yaml"), timeout_s=3.0)
    try:
        sandbox.ensure_available(course.policy)
    except sandbox.SandboxUnavailable as e:
        pytest.skip(f"no sandbox on this machine (the grader refuses to grade here): {e}")
    reference = course.assignment(ASSIGNMENT).reference.read_text(encoding="utf-8")
    other = Path(f"/opt/othercourse-{MARKER}") if AS_ROOT and os.access("/opt", os.W_OK) \
        else tmp_path_factory.mktemp("othercourse")
    listeners = {
        "tcp4": _listener(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0)),
        "udp": _listener(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0)),
        "abstract": _listener(socket.AF_UNIX, socket.SOCK_STREAM, f"\0{MARKER}-host"),
    }
    unix_path = os.path.join(tempfile.gettempdir(), f"{MARKER}-host.sock")
    listeners["path"] = _listener(socket.AF_UNIX, socket.SOCK_STREAM, unix_path)
    try:
        listeners["tcp6"] = _listener(socket.AF_INET6, socket.SOCK_STREAM, ("::1", 0))
        port6 = listeners["tcp6"].getsockname()[1]
    except OSError:
        port6 = 9                                   # no IPv6 on this host: nothing listens
    try:
        _plant_other_checkout(other)
        values = {"MARKER": MARKER, "COMM": COMM, "IPC_KEY": hex(IPC_KEY),
                  "PORT": str(listeners["tcp4"].getsockname()[1]), "PORT6": str(port6),
                  "UDP_PORT": str(listeners["udp"].getsockname()[1]), "UNIX_PATH": unix_path,
                  "MAX_BYTES": str(8 << 20), "SLEEP": "4",
                  "SITE_DIRS": repr([str(Path(p)) for p in sys.path if "site-packages" in p]
                                    + [str(other / "venv/lib/python3.11/site-packages")]),
                  "TORCH_FILES": repr([str(other / "venv/lib/python3.11/site-packages/torch/__init__.py")]
                                      + [str(Path(p) / "torch" / "__init__.py") for p in sys.path
                                         if (Path(p) / "torch" / "__init__.py").exists()])}
        needles = [MARKER, SECRET, FILE_SECRET] + _reference_needles(ROOT / "reference")
        values["NEEDLES"] = repr(needles)
        yield World(course, dataclasses.replace(course.policy, timeout_s=30.0), reference, values,
                    needles, listeners, other)
    finally:
        for s in listeners.values():
            s.close()
        if os.path.exists(unix_path):
            os.unlink(unix_path)
        shutil.rmtree(other, ignore_errors=True)
        kill_marker_processes()
        remove_host_ipc()
        for folder in (tempfile.gettempdir(), "/dev/shm"):
            for name in os.listdir(folder) if os.path.isdir(folder) else ():
                if MARKER in name:
                    try:
                        os.unlink(os.path.join(folder, name))
                    except OSError:
                        pass


def run_probe(world: World, name: str, policy=None):
    """(SandboxRun, report or None) of one probe graded on its own."""
    run = sandbox.run([(0, probe_source(name, world.values))], f"<{name}.py>",
                      [sandbox.Call("probe", "probe", "probe", ())], policy or world.policy)
    return run, parse_report(run.stdout)


# ------------------------------------------------------------------ single probes: the checks
def failed(entry) -> bool:
    """A [ret, errno] pair, an errno, or a message: the attempt did not succeed."""
    if isinstance(entry, list):
        return entry[0] < 0
    return isinstance(entry, int) or entry not in ("succeeded", "opened", "created", "connected",
                                                   "sent", "typed", "pasted", "imported", "planted")


def check_identity(r, world):
    assert r["uid"] != 0 and r["euid"] != 0 and 0 not in r["resuid"], r
    assert r["gid"] != 0 and 0 not in r["resgid"] and 0 not in r["groups"], r
    assert r["pid"] == 1 and r["ppid"] == 0, "the child is PID 1 of its own PID namespace"
    assert r["hostname"] != socket.gethostname(), "a UTS namespace of its own"


def check_setuid_root(r, world):
    assert all(r[k] != "succeeded" for k in ("setuid", "setgid", "setgroups", "setresuid",
                                             "seteuid")), r
    assert r["uid_after"] != 0


def check_chroot(r, world):
    assert r["chroot"] == EPERM, r


def check_mount(r, world):
    for name in ("mount_bogus_fs", "mount_proc", "umount_absent"):
        assert r[name] == [-1, EPERM], f"{name}: {r[name]} (anything but EPERM: CAP_SYS_ADMIN)"


def check_unshare(r, world):
    bad = {k: v for k, v in r.items() if k.startswith(("unshare_", "setns")) and v != [-1, EPERM]}
    assert not bad, f"namespace calls not refused: {bad}"


def check_ptrace(r, world):
    for name in ("traceme", "attach_child", "seize_child", "process_vm_readv"):
        assert r[name] == [-1, EPERM], f"{name}: {r[name]}"
    assert r["visible_pids"] == [1], f"processes visible from the child: {r['visible_pids']}"
    assert r["attached"] == []


def check_keyring(r, world):
    for name in ("add_key", "request_key", "keyctl_get_user"):
        assert r[name] == [-1, EPERM], f"{name}: {r[name]}"


def check_denied_syscalls(r, world):
    bad = {k: v for k, v in r.items() if k != "crashed" and v != [-1, EPERM]}
    assert not bad, f"system calls the seccomp filter should refuse (EPERM) got through: {bad}"


def check_proc_sys_write(r, world):
    assert r["opened"] == [], f"opened for writing: {r['opened']}"
    assert r["sys_exists"] is False, "/sys is visible"
    assert r["proc_listing"] == [], f"/proc shows {r['proc_listing']}"


def check_proc_covered(r, world):
    assert r["readable"] == {}, f"readable under /proc: {list(r['readable'])}"
    assert r["mem_writable"] == []


def check_dev_nodes(r, world):
    assert r["opened"] == [], f"devices that opened: {r['opened']}"
    assert set(r["dev"]) <= ALLOWED_DEV, f"unexpected in /dev: {set(r['dev']) - ALLOWED_DEV}"
    assert r["/dev/tty"] in (ENXIO, ENOENT), "/dev/tty: no controlling terminal"


def check_walk(r, world):
    assert r["hits"] == [], f"files holding course material, the reference or the secret: {r['hits']}"
    assert r["torch_dirs"] == [], f"torch folders visible: {r['torch_dirs']}"
    assert r["site_dirs"] == [], f"other Python environments visible: {r['site_dirs']}"
    assert not r["secret_in_environ"] and not any("SECRET" in k for k in r["environ"]), r["environ"]
    assert r["n_files"] > 1000, "the walk did not see the standard library: it proves nothing"
    assert not [p for p in r["sys_path"] if str(ROOT) in p or str(world.other_checkout) in p]


def check_torch(r, world):
    assert r["imported"] == [], f"torch imported by {r['imported']}"
    assert len(r["routes"]) >= 4, r["routes"]
    assert "imported" != r["scipy_signal"], "scipy.signal (forbidden) imported"


def check_fd_inventory(r, world):
    fds = {int(k): v for k, v in r["fds"].items()}
    for fd in (0, 1, 2):
        assert fds.get(fd, [None])[0] == "chr" and fds[fd][1] == r["null_rdev"], \
            f"fd {fd} is {fds.get(fd)}, not /dev/null"
    rest = {fd: v for fd, v in fds.items() if fd > 2}
    assert len(rest) == 1 and list(rest.values())[0][0] == "fifo" and list(rest.values())[0][2] == 1, \
        f"descriptors beyond its own result pipe: {rest}"


def check_stdin(r, world):
    assert r["stdin"] == "", f"stdin gave {r['stdin']!r}"
    assert r["isatty"] == [False, False, False]
    assert r["dev_tty"] in (ENXIO, ENOENT), r["dev_tty"]


def check_tiocsti(r, world):
    res = r["results"]
    assert [res[str(fd)] for fd in (0, 1, 2)] == ["not a terminal"] * 3, res
    assert res["/dev/tty"] in (ENXIO, ENOENT), res
    assert res["own pty"] == EPERM, f"TIOCSTI on its own pty: {res['own pty']} (seccomp: EPERM)"
    assert res["own pty TIOCLINUX"] == EPERM, res


def check_memfd(r, world):
    assert r["os.memfd_create"] == EPERM, r
    assert r["syscall_319"] == [-1, EPERM], r


def check_tmp_fill(r, world):
    limit = world.policy.tmp_mb
    assert r["total_mb"] <= limit + 8, f"{r['total_mb']} MB went into a {limit} MB /tmp"
    assert r["error"] == errno.ENOSPC, r
    assert r["big_mb"] <= world.policy.file_mb and r["big_error"] == errno.EFBIG, r


def check_shm_fill(r, world):
    assert r["total_mb"] <= 1 and r["error"] in (errno.ENOSPC, errno.EFBIG), r


def check_net_tcp(r, world):
    assert failed(r["tcp4"]) and failed(r["tcp6"]), r


def check_net_udp(r, world):
    assert failed(r["udp"]), r
    for kind in ("netlink", "packet", "raw_icmp", "vsock"):
        assert failed(r[kind]), f"{kind} socket created"


def check_net_unix(r, world):
    assert r["abstract"] == errno.ECONNREFUSED, f"abstract socket of the host: {r['abstract']}"
    assert r["path"] == ENOENT, f"socket under the host's /tmp: {r['path']}"


def check_share_plant(r, world):
    assert r["/tmp"] == "planted", "the private /tmp is writable (the test needs the plant)"
    for name in ("user_keyring", "session_keyring"):
        assert r[name] == [-1, EPERM], f"{name}: {r[name]}"


def check_share_look(r, world):
    assert MARKER + "-planted" not in r["/tmp"], "/tmp is shared between submissions"
    assert not isinstance(r["/dev/shm"], list) or MARKER + "-planted" not in r["/dev/shm"], \
        "/dev/shm is shared between submissions"
    for name in ("shmget", "semget", "msgget"):
        assert r[name] == [-1, ENOENT], f"SysV {name} found the first submission's object: {r[name]}"
    for name in ("user_keyring", "session_keyring"):
        assert failed(r[name]), f"{name}: the first submission's key is there"
    assert r["abstract_socket"] == errno.ECONNREFUSED, \
        f"the first submission's abstract socket: {r['abstract_socket']}"


PROBES = {   # name: (check, x86_64 only)
    "identity": (check_identity, False),
    "setuid_root": (check_setuid_root, False),
    "cap_chroot": (check_chroot, False),
    "cap_mount": (check_mount, False),
    "cap_unshare": (check_unshare, False),
    "cap_ptrace": (check_ptrace, True),
    "keyring": (check_keyring, True),
    "denied_syscalls": (check_denied_syscalls, True),
    "proc_sys_write": (check_proc_sys_write, False),
    "proc_covered": (check_proc_covered, False),
    "dev_nodes": (check_dev_nodes, False),
    "walk_filesystem": (check_walk, False),
    "torch_any_route": (check_torch, False),
    "fd_inventory": (check_fd_inventory, False),
    "stdin_eof": (check_stdin, False),
    "tiocsti": (check_tiocsti, False),
    "memfd": (check_memfd, True),
    "tmp_fill": (check_tmp_fill, False),
    "shm_fill": (check_shm_fill, False),
    "net_tcp": (check_net_tcp, False),
    "net_udp": (check_net_udp, False),
    "net_unix": (check_net_unix, False),
    "share_plant": (check_share_plant, True),     # these two run one after the other
    "share_look": (check_share_look, True),
}


@pytest.fixture(scope="module")
def probes(world):
    """Every single probe, one after the other on one thread (so on one grading slot)."""
    results = {}
    for name, (_, x86_only) in PROBES.items():
        if x86_only and not X86_64:
            continue
        start = time.perf_counter()
        run, report = run_probe(world, name)
        results[name] = (run, report, time.perf_counter() - start)
    return results


@pytest.mark.parametrize("name", list(PROBES))
def test_probe(probes, world, name):
    check, x86_only = PROBES[name]
    if x86_only and not X86_64:
        pytest.skip("raw system call numbers of x86_64")
    run, report, _ = probes[name]
    assert report is not None, (f"no report: load_failure={run.load_failure} notes={run.notes} "
                                f"stdout={run.stdout[:300]!r}")
    assert "crashed" not in report, report["crashed"]
    check(report, world)
    assert SECRET not in run.stdout and FILE_SECRET not in run.stdout


def test_probes_reached_no_listener(probes, world):
    """Nothing the network probes sent arrived at the test's listeners."""
    got = {k: v for k, s in world.listeners.items() if (v := _drain(s))}
    assert not got, f"the host's listeners received {got}"


def test_probe_run_time(probes):
    slow = {n: round(t, 2) for n, (_, _, t) in probes.items() if t > 15}
    print("\n" + ", ".join(f"{n} {t:.2f}s" for n, (_, _, t) in probes.items()))
    assert not slow, f"probes slower than 15 s: {slow}"


# ------------------------------------------------------------------ the host's view of a child
def _ancestors(pid: int, procs: dict) -> list[int]:
    chain = []
    while pid in procs and pid not in chain:
        chain.append(pid)
        pid = int(procs[pid].get("PPid", "0"))
    return chain


def test_host_sees_an_unprivileged_confined_child(world):
    """Looked up from outside while it sleeps: the child and every process between it and the
    grader (keeper, fork server, bubblewrap) run as an unprivileged host uid -- `nobody` when
    the grader is root -- with no capabilities, no_new_privs and a seccomp filter."""
    done = threading.Event()
    box = {}

    def run():
        try:
            box["run"] = run_probe(world, "host_uid")
        finally:
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    found, deadline = None, time.monotonic() + 20
    while found is None and not done.is_set() and time.monotonic() < deadline:
        procs = host_processes()
        found = next((pid for pid, p in procs.items() if p["comm"] == COMM), None)
        time.sleep(0.05)
    thread.join(30)
    assert found is not None, f"the sleeping child never showed up: {box.get('run')}"
    me = os.getpid()
    chain = _ancestors(found, procs)
    assert me in chain, f"the child is not a descendant of the grader: {chain}"
    sandboxed = chain[:chain.index(me)]
    child = procs[found]
    uids = {pid: procs[pid]["Uid"].split() for pid in sandboxed}
    gids = {pid: procs[pid]["Gid"].split() for pid in sandboxed}
    # the launcher (unshare / sh / setpriv) execs bubblewrap: nothing stays root in between
    root_owned = {pid: (procs[pid]["comm"], uids[pid]) for pid in sandboxed if "0" in uids[pid]}
    assert not root_owned, f"sandbox processes running as host root: {root_owned}"
    assert not {pid: g for pid, g in gids.items() if "0" in g}, gids
    if AS_ROOT:
        assert set(child["Uid"].split()) == {str(65534)}, child["Uid"]
    assert int(child["CapEff"], 16) == 0 and int(child["CapPrm"], 16) == 0, child
    assert int(child["CapBnd"], 16) == 0, f"bounding set {child['CapBnd']}"
    assert child.get("NoNewPrivs") == "1" and child.get("Seccomp") == "2", child
    assert int(child["NSpid"].split()[-1]) == 1, f"NSpid {child['NSpid']}: not PID 1 of its own"
    assert box["run"][1] == {"slept": True}


def test_the_fork_server_holds_no_secret_and_no_root(world):
    """The fork servers' own environment (read from outside) holds no secret; they run
    unprivileged, not dumpable (no /proc/PID/mem for anyone inside)."""
    run_probe(world, "identity")                       # a fork server is running
    servers = fork_servers()
    assert servers, "no fork server found"
    for pid in servers:
        with open(f"/proc/{pid}/environ", "rb") as f:
            env = f.read()
        assert SECRET.encode() not in env and b"AUTOGRADER" not in env, env[:300]
        status = host_processes()[pid]
        assert "0" not in status["Uid"].split(), status["Uid"]
        assert int(status["CapEff"], 16) == 0, status["CapEff"]


def test_killpg_cannot_reach_the_fork_server(world):
    """kill(0, SIGTERM) from the child signals its whole process group, in every PID namespace.
    If the keeper and fork server share the child's group, they die (the grader then restarts
    the worker: the submission survives, but the design's "cannot signal the fork server"
    does not hold, and every restart costs seconds)."""
    run_probe(world, "identity")
    before = fork_servers()
    run, report = run_probe(world, "killpg")
    time.sleep(0.3)
    after = fork_servers()
    assert "kill(0) sent" in run.stdout or "kill(0)" in run.stdout, run.stdout
    assert before and before <= after, (f"fork servers killed by a submission's kill(0): "
                                        f"{sorted(before - after)} (before {sorted(before)}, "
                                        f"after {sorted(after)})")


# ------------------------------------------------------------------ honest students among attackers
HONEST = 6
# attacker -> (problems it may lose: None = any, words expected in its notes or errors)
ATTACKERS = {
    "fd_killer": (None, ()),
    "kill_all": (None, ()),
    "killpg": (None, ()),
    "partial_header": (None, ("time limit",)),
    "header_length_bomb": (None, ("malformed", "header")),
    "header_shapes_bomb": (None, ("malformed", "header")),
    "header_count_bomb": (None, ("malformed",)),
    "header_deep_nesting": (None, ("malformed",)),
    "oversized_arrays": (None, ()),
    "ansi_escapes": (("conv_output_size",), ("ValueError",)),
}
RSS_BOUND_MB = 300           # what one batch of attackers may add to the grader's peak memory


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write_batch(folder: Path, world: World, order: list[str]) -> list[Item]:
    assignment = world.course.assignment(ASSIGNMENT)
    items = []
    for i, name in enumerate(order):
        student = f"{i:02d}_{name}"
        path = folder / student / f"{ASSIGNMENT}.py"
        path.parent.mkdir(parents=True)
        source = world.reference if name == "honest" else \
            attacker_source(name, world.reference, world.values)
        path.write_text(source + f"\n# {student}\n", encoding="utf-8")
        items.append(Item(path, assignment, student))
    return items


def _grade(course, items, jobs, out_dir):
    results = {}
    for item, result in grade_all(course, items, jobs=jobs, out_dir=out_dir):
        assert item.student not in results, f"{item.student} graded twice"
        results[item.student] = result
    return results


@pytest.fixture(scope="module")
def killers(world, tmp_path_factory):
    """Honest submissions interleaved with the fork-server killers, the protocol bombs and the
    terminal escapes, graded with --jobs 2 and --out; then the same batch again (the resume
    records must not keep anyone's zero)."""
    folder = tmp_path_factory.mktemp("killers")
    names = list(ATTACKERS)
    order = []
    for i in range(max(HONEST, len(names))):
        if i < HONEST:
            order.append("honest")
        if i < len(names):
            order.append(names[i])
    order.append("honest")
    items = _write_batch(folder, world, order)
    # the oracle and a sandbox slot are warmed first, so the peak measures the attacks only
    warm = _write_batch(tmp_path_factory.mktemp("warm"), world, ["honest", "honest"])
    _grade(world.course, warm, 2, None)
    rss_before = _maxrss_mb()
    start = time.perf_counter()
    first = _grade(world.course, items, 2, folder / "out")
    seconds = time.perf_counter() - start
    rss_after = _maxrss_mb()
    again = _grade(world.course, items, 2, folder / "out")
    return dict(items=items, first=first, again=again, seconds=seconds,
                rss=(rss_before, rss_after), out=folder / "out")


def test_honest_students_keep_full_marks_among_killers(killers):
    for run in ("first", "again"):
        honest = {s: r.score for s, r in killers[run].items() if s.endswith("_honest")}
        assert len(honest) >= HONEST + 1
        zeroed = {s: (sc, killers[run][s].notes, [p.error for p in killers[run][s].problems if p.error][:2])
                  for s, sc in honest.items() if sc != FULL}
        assert not zeroed, f"honest students lost points ({run} run): {zeroed}"


def test_no_attacker_turns_its_grade_into_an_internal_error(killers):
    """An attack that kills the fork server again on every retry ends as "internal error"
    after ATTEMPTS restarts: never recorded, so never a grade, and each rerun pays again."""
    for student, result in killers["first"].items():
        assert not (result.error or "").startswith("internal error"), (student, result.error)
        for p in result.problems:
            assert "internal error" not in (p.error or ""), (student, p.error)


def test_saved_records_keep_full_marks(killers):
    records = [json.loads(p.read_text()) for p in (killers["out"] / "records").glob("*.json")]
    honest = [r["result"] for r in records if r["result"]["path"].split("/")[-2].endswith("_honest")]
    assert len(honest) == sum(1 for i in killers["items"] if i.student.endswith("_honest"))
    assert all(sum(p["score"] for p in r["problems"]) == FULL for r in honest)
    assert not [r for r in records if (r["result"]["error"] or "").startswith("internal error")]


@pytest.mark.parametrize("name", list(ATTACKERS))
def test_attacker_costs_only_itself(killers, name):
    """The attacker's own result is a sane, non-internal grade; where the attack is on the
    protocol, its message says what happened (deadline, malformed message)."""
    student = next(s for s in killers["first"] if s.endswith("_" + name))
    result = killers["first"][student]
    assert result.error is None, result.error
    assert all(0 <= p.score <= p.max_score for p in result.problems)
    _, words = ATTACKERS[name]
    text = " ".join(list(result.notes) + [p.error or "" for p in result.problems])
    if words:
        assert any(w in text for w in words), f"none of {words} in {text[:400]!r}"


def test_the_killer_batch_finishes_in_time(killers):
    print(f"\n{len(killers['items'])} submissions (attackers among honest) in {killers['seconds']:.1f} s")
    assert killers["seconds"] < 90


BOMBS = ["partial_header", "header_length_bomb", "header_shapes_bomb", "header_count_bomb",
         "header_deep_nesting", "oversized_arrays"]      # the last one may raise the peak for good


@pytest.fixture(scope="module")
def bombs(world, killers):
    """Each protocol attack alone (after the killer batch: the grader is warm), with the rise
    of the grader's peak RSS (getrusage) it caused."""
    policy = dataclasses.replace(world.policy, timeout_s=2.0)
    out = {}
    for name in BOMBS:
        source = attacker_source(name, PRELUDE, world.values)
        before = _maxrss_mb()
        start = time.perf_counter()
        run = sandbox.run([(0, source)], f"<{name}.py>", [sandbox.Call("probe", "p", "probe", ())],
                          policy)
        out[name] = (run, _maxrss_mb() - before, time.perf_counter() - start)
    return out


@pytest.mark.parametrize("name", BOMBS)
def test_protocol_bomb_leaves_the_grader_bounded(bombs, name):
    """The call fails (deadline or malformed message), within the deadline, and the grader's
    peak memory does not grow by more than RSS_BOUND_MB."""
    run, grown_mb, seconds = bombs[name]
    print(f"\n{name}: peak RSS +{grown_mb:.0f} MB, {seconds:.1f} s, {run.load_failure}")
    assert run.load_failure or run.results["probe"].error, "the attack went unnoticed"
    assert seconds < 15
    assert grown_mb < RSS_BOUND_MB, f"the grader's peak memory grew by {grown_mb:.0f} MB"


def test_grader_memory_stays_bounded_in_the_batch(killers):
    """The killer batch as a whole (header bombs, oversized arrays, 2 jobs): peak RSS."""
    before, after = killers["rss"]
    print(f"\ngrader peak RSS {before:.0f} MB -> {after:.0f} MB")
    assert after - before < RSS_BOUND_MB, f"the grader's peak memory grew by {after - before:.0f} MB"


def test_terminal_escapes_never_reach_a_report(killers):
    student = next(s for s in killers["first"] if s.endswith("_ansi_escapes"))
    result = killers["first"][student]
    assert MARKER in result.stdout, "the attack did not run"
    text = render_text([result], "en", color=False)
    as_json = render_json([result], "en")
    for rendered in (text, as_json):
        assert "\x1b" not in rendered and "\x07" not in rendered and "\r" not in rendered
        assert "\u202e" not in rendered
    assert "\\x1b" in text or "\\u001b" in text, "the escape is shown escaped, not dropped silently"
    record = (killers["out"] / student / ASSIGNMENT / "results.json").read_text(encoding="utf-8")
    assert "\x1b" not in record and "\u202e" not in record


@pytest.fixture(scope="module")
def survivors(world, tmp_path_factory):
    """jobs=1: one grading slot; a setsid + double-fork daemon filling the process cap, then
    honest students on the same slot."""
    folder = tmp_path_factory.mktemp("survivor")
    items = _write_batch(folder, world, ["honest", "setsid_survivor", "honest", "honest",
                                         "setsid_survivor", "honest"])
    results = _grade(world.course, items, 1, folder / "out")
    time.sleep(0.3)
    left = marker_pids()
    kill_marker_processes()
    return results, left


def test_setsid_survivor_does_not_outlive_its_submission(survivors):
    results, left = survivors
    attacker = next(r for s, r in results.items() if s.endswith("_setsid_survivor"))
    assert "sleepers:" in attacker.stdout, f"the attack did not start: {attacker.stdout[:200]!r}"
    assert not left, f"processes of the submission still running after the batch: {left}"


def test_honest_students_after_a_survivor_keep_full_marks(survivors):
    results, _ = survivors
    honest = {s: r.score for s, r in results.items() if s.endswith("_honest")}
    assert len(honest) == 4 and all(v == FULL for v in honest.values()), honest


# ------------------------------------------------------------------ the CLI, from a course folder, on a terminal
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() \
    else sys.executable
CLI = [PYTHON, "-m", "autograder.cli", "--course", str(ROOT / "course.yaml"), "--lang", "en",
       "grade"]
TERMINAL_PROBE = '''
import os
# a terminal attack: forged output written straight to fds 1 and 2 and to /dev/tty
for fd in (1, 2):
    try:
        os.write(fd, b"\\x1b[2J\\x1b[H{{MARKER}}-FORGED Score: 13/13\\n")
    except OSError:
        pass
'''


def nbgrader_course(base: Path, world: World, probe: str) -> Path:
    """An nbgrader course folder: the instructor's source notebook, classmates' submissions,
    the gradebook, the config, and the course secret file -- each holding the marker. Alice
    is honest; mallory's submission walks the filesystem and attacks the terminal."""
    course = base / "course"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    (course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text(
        json.dumps({"cells": [{"cell_type": "code", "source": world.reference + f"\n# {MARKER}-source"}]}))
    (course / "nbgrader_config.py").write_text(f"c = get_config()  # {MARKER}-config\n")
    db = sqlite3.connect(course / "gradebook.db")
    db.execute("create table grade (student text, score real, secret text)")
    db.execute("insert into grade values ('alice', 13, ?)", (f"{MARKER}-gradebook",))
    db.commit()
    db.close()
    (course / ".autograder-secret").write_text(FILE_SECRET + "\n")
    (course / "autograder_course_helpers").mkdir()
    (course / "autograder_course_helpers" / "__init__.py").write_text(f"# {MARKER}-helpers\n")
    for student, source in (("alice", world.reference + f"\n# {MARKER}-alice\n"),
                            ("mallory", probe)):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.py").write_text(source, encoding="utf-8")
    return course


def graded_probe(world: World, names: list[str], extra: str = "") -> str:
    """A submission that is the reference plus probes, each reporting on its own line."""
    parts = [world.reference, PRELUDE]
    for name in names:
        body = fill((PROBE_DIR / f"{name}.py").read_text(encoding="utf-8"), world.values)
        parts.append("report = {}\n" + RUN_BODY.format(body=body, name=name).replace(
            '"@@REPORT@@"', f'"@@REPORT@@" + {name!r} + "@@"'))
    parts.append(fill(extra, world.values))
    return "\n".join(parts)


def reports_of(stdout: str) -> dict:
    found = {}
    for line in stdout.splitlines():
        m = re.match(r"@@REPORT@@(\w+)@@(.*)$", line)
        if m:
            found[m.group(1)] = json.loads(m.group(2))
    return found


def run_on_terminal(argv, cwd, env, typed: bytes, timeout=240) -> tuple[int, bytes]:
    """Run argv with a pseudo-terminal as stdin, stdout and stderr (an instructor's shell),
    `typed` waiting in its input; (exit code, everything it showed)."""
    master, slave = pty.openpty()
    os.write(master, typed)
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True)
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    try:
        code = proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, shown


@pytest.fixture(scope="module")
def from_course_folder(world, probes, tmp_path_factory):
    """`autograder grade submitted/` run by the instructor from inside the nbgrader course
    folder (working folder, PYTHONPATH and so sys.path in it), on a terminal with typed input,
    with the course secret in a file of that folder."""
    base = tmp_path_factory.mktemp("fromcourse")
    probe = graded_probe(world, ["walk_filesystem", "stdin_eof", "fd_inventory", "torch_any_route"],
                         TERMINAL_PROBE)
    course = nbgrader_course(base, world, probe)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER")}
    env.update(AUTOGRADER_SECRET_FILE=str(course / ".autograder-secret"), TERM="xterm",
               PYTHONPATH=os.pathsep.join([str(course), str(course / "source" / ASSIGNMENT),
                                           str(course / "submitted")]))
    typed = f"{MARKER}-TYPED\n".encode()
    code, shown = run_on_terminal(CLI + ["submitted", "--jobs", "1", "--out", str(base / "out")],
                                  course, env, typed)
    records = {}
    for path in (base / "out" / "records").glob("*.json"):
        result = json.loads(path.read_text())["result"]
        records[Path(result["path"]).parent.parent.name] = result
    return dict(code=code, shown=shown, records=records, course=course)


def test_graded_from_the_course_folder(from_course_folder):
    records = from_course_folder["records"]
    shown = from_course_folder["shown"].decode("utf-8", "replace")
    assert set(records) == {"alice", "mallory"}, (records.keys(), shown[-2000:])
    for student, result in records.items():
        score = sum(p["score"] for p in result["problems"])
        assert score == FULL, (student, score, result["notes"], shown[-1500:])
    assert from_course_folder["code"] == 0, shown[-1500:]


def test_no_course_material_visible_from_the_course_folder(from_course_folder, world):
    reports = reports_of(from_course_folder["records"]["mallory"]["stdout"])
    assert set(reports) >= {"walk_filesystem", "stdin_eof", "fd_inventory", "torch_any_route"}, reports
    for name, check in (("walk_filesystem", check_walk), ("torch_any_route", check_torch),
                        ("fd_inventory", check_fd_inventory)):
        assert "crashed" not in reports[name], reports[name]
        check(reports[name], world)
    course = str(from_course_folder["course"])
    assert not [p for p in reports["walk_filesystem"]["sys_path"] if course in p]
    assert reports["walk_filesystem"]["cwd"] == "/tmp"


def test_the_grader_terminal_is_out_of_reach(from_course_folder, world):
    """What was typed on the instructor's terminal never reaches the child (stdin: EOF), and
    what the child writes to fds 1 and 2 never reaches the terminal; the report shows no raw
    escape but the grader's own colours."""
    reports = reports_of(from_course_folder["records"]["mallory"]["stdout"])
    check_stdin(reports["stdin_eof"], world)
    shown = from_course_folder["shown"]
    assert f"{MARKER}-FORGED".encode() not in shown, "the child wrote to the grader's terminal"
    assert MARKER.encode() + b"-TYPED" not in reports and \
        f"{MARKER}-TYPED" not in json.dumps(reports)
    own_colours = re.sub(rb"\x1b\[(?:[0-9;]*)m", b"", shown)
    assert b"\x1b" not in own_colours, own_colours[:500]


# ------------------------------------------------------------------ as a user without root
NOBODY = 65534
NONROOT_PROBES = ["identity", "cap_mount", "cap_unshare", "proc_sys_write", "proc_covered",
                  "walk_filesystem", "torch_any_route", "fd_inventory", "net_tcp", "memfd",
                  "share_plant", "share_look", "keyring"]
NONROOT_CHECKS = {"identity": check_identity, "cap_mount": check_mount,
                  "cap_unshare": check_unshare, "proc_sys_write": check_proc_sys_write,
                  "proc_covered": check_proc_covered, "walk_filesystem": check_walk,
                  "torch_any_route": check_torch, "fd_inventory": check_fd_inventory,
                  "net_tcp": check_net_tcp, "memfd": check_memfd, "share_plant": check_share_plant,
                  "share_look": check_share_look, "keyring": check_keyring}
needs_root = pytest.mark.skipif(not AS_ROOT or shutil.which("setpriv") is None
                                or shutil.which("unshare") is None,
                                reason="builds a non-root user's environment with unshare and "
                                       "setpriv: needs root")


def _private_root_script(inner: list[str]) -> list[str]:
    """argv: in a private mount namespace, /root becomes a world-readable tmpfs holding only the
    Python installation (pyenv keeps it under /root, mode 700, out of nobody's reach), then
    `inner` runs as nobody with no supplementary groups."""
    python = os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)
    lines = ["set -e"]
    if python.startswith("/root/"):
        keep = "/root/" + python.split("/")[2]
        lines += [f'stage=$(mktemp -d)', f'mount --bind {keep} "$stage"',
                  "mount -t tmpfs -o mode=755 tmpfs /root", f"mkdir -p {keep}",
                  f'mount --move "$stage" {keep}']
    lines.append(f"exec setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups -- "
                 + " ".join(shlex_quote(a) for a in inner))
    return ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
            "\n".join(lines)]


def shlex_quote(text: str) -> str:
    import shlex
    return shlex.quote(text)


def _nobody_folder(base: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"{MARKER}-nobody-", dir=base))
    os.chmod(folder, 0o755)
    return folder


def _as_nobody(argv: list[str], folder: Path, path_env: str = "/usr/bin:/bin", timeout=300):
    env = {"PATH": path_env, "HOME": str(folder), "LANG": "C.UTF-8",
           "AUTOGRADER_SECRET": SECRET, "TMPDIR": str(folder)}
    return subprocess.run(_private_root_script(["env", "-i", *[f"{k}={v}" for k, v in env.items()],
                                                *argv]),
                          cwd=folder, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def nobody_base():
    base = Path(tempfile.mkdtemp(prefix=f"{MARKER}-nonroot-"))
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def graded_as_nobody(world, nobody_base, probes):
    """The CLI as nobody: honest students and escape probes (each its own submission,
    graded one after the other on one slot), --out for the probes' stdout."""
    folder = _nobody_folder(nobody_base)
    subs = folder / "subs"
    out = folder / "out"
    subs.mkdir()
    out.mkdir()
    os.chown(out, NOBODY, NOBODY)
    order = ["honest_a"] + NONROOT_PROBES + ["kill_all", "honest_b"]
    for i, name in enumerate(order):
        if name.startswith("honest"):
            source = world.reference
        elif name == "kill_all":
            source = attacker_source("kill_all", world.reference, world.values)
        else:
            source = graded_probe(world, [name])
        path = subs / f"{i:02d}_{name}" / f"{ASSIGNMENT}.py"
        path.parent.mkdir()
        path.write_text(source, encoding="utf-8")
    for p in [subs, *subs.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    proc = _as_nobody(CLI + [str(subs), "--jobs", "1", "--format", "json", "--out", str(out)], folder)
    records = {}
    for path in (out / "records").glob("*.json"):
        result = json.loads(path.read_text())["result"]
        records[Path(result["path"]).parent.name.split("_", 1)[1]] = result
    return proc, records


@needs_root
def test_nobody_gets_correct_grades_with_isolation(graded_as_nobody):
    proc, records = graded_as_nobody
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-2000:])
    report = json.loads(proc.stdout)
    assert all(not (s["error"] or "").startswith("internal error") for s in report["submissions"])
    for name in ("honest_a", "honest_b"):
        score = sum(p["score"] for p in records[name]["problems"])
        assert score == FULL, (name, score, records[name]["notes"])
    for name, result in records.items():
        if name not in ("honest_a", "honest_b"):
            assert sum(p["score"] for p in result["problems"]) == FULL, (name, result["notes"])
    assert not any(s.get("unsafe") for s in report["submissions"])


@needs_root
@pytest.mark.parametrize("name", NONROOT_PROBES)
def test_nobody_probe(graded_as_nobody, world, name):
    _, records = graded_as_nobody
    assert name in records, sorted(records)
    reports = reports_of(records[name]["stdout"])
    assert name in reports, records[name]["stdout"][:500]
    assert "crashed" not in reports[name], reports[name]["crashed"]
    NONROOT_CHECKS[name](reports[name], world)


def _one_submission(world, folder: Path) -> Path:
    path = folder / "alice" / f"{ASSIGNMENT}.py"
    path.parent.mkdir(parents=True)
    path.write_text(world.reference, encoding="utf-8")
    for p in (path.parent, path):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return path


def _assert_refused(proc, *words):
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-800:], proc.stderr[-1500:])
    assert len(lines) == 1, f"not one line: {lines[-10:]}"
    assert any(w in lines[0].lower() for w in words), lines[0]
    assert '"score"' not in proc.stdout and "13/13" not in proc.stdout, "graded anyway"


@pytest.fixture(scope="module")
def refusals(world, nobody_base):
    """The three machines that cannot sandbox, run at once: nobody where user namespaces are
    disabled (bubblewrap's --disable-userns), nobody without bubblewrap, root without it."""
    bwrap = shutil.which("bwrap")
    folders = [_nobody_folder(nobody_base) for _ in range(3)]
    subs = [_one_submission(world, f) for f in folders]
    no_bwrap = folders[1] / "bin"
    no_bwrap.mkdir()
    for folder in ("/usr/bin", "/bin"):
        for name in os.listdir(folder):
            if name != "bwrap" and not (no_bwrap / name).exists():
                os.symlink(os.path.join(folder, name), no_bwrap / name)
    grade = CLI + ["--jobs", "1", "--format", "json"]
    jobs = {
        "no_userns": lambda: _as_nobody([bwrap, "--dev-bind", "/", "/", "--unshare-user", "--uid",
                                         "1000", "--disable-userns", "--", *grade, str(subs[0])],
                                        folders[0]),
        "nobody_no_bwrap": lambda: _as_nobody(grade + [str(subs[1])], folders[1],
                                              path_env=str(no_bwrap)),
        "root_no_bwrap": lambda: subprocess.run(
            grade + [str(subs[2])], cwd=folders[2], capture_output=True, text=True, timeout=300,
            env={**{k: v for k, v in os.environ.items() if k != "PATH"}, "PATH": str(no_bwrap)}),
    }
    with ThreadPoolExecutor(3) as pool:
        futures = {k: pool.submit(f) for k, f in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


@needs_root
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap to disable user namespaces")
def test_nobody_without_user_namespaces_is_refused(refusals):
    _assert_refused(refusals["no_userns"], "namespace")


@needs_root
def test_nobody_without_bubblewrap_is_refused(refusals):
    _assert_refused(refusals["nobody_no_bwrap"], "bubblewrap", "bwrap")


@needs_root
def test_root_without_bubblewrap_is_refused(refusals):
    _assert_refused(refusals["root_no_bwrap"], "bubblewrap", "bwrap")
