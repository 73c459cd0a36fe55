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
    parts = [reference, "\n\n# ---- hostile part: tests/adversarial/escape/"]
    text = fill((PROBE_DIR / f"{name}.py").read_text(encoding="utf-8"), values)
    if "result_pipe()" in text:
        parts.append(f"_result_pipe.py + {name}.py\n")
        parts.append((PROBE_DIR / "_result_pipe.py").read_text(encoding="utf-8"))
    else:
        parts.append(f"{name}.py\n")
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
