"""TIOCSTI types into a terminal's input (the instructor's shell would run it); TIOCLINUX
pastes. Tried on a pseudo-terminal of its own (harmless if it worked: the typed byte waits
unread in the child's own pty) -- that is what the seccomp filter must refuse; fds 0-2 and
/dev/tty are only reported as terminals or not, never typed into."""
import fcntl
import os

TIOCSTI, TIOCLINUX = 0x5412, 0x541C
results = {}
targets = {}
for fd in (0, 1, 2):
    results[str(fd)] = "a terminal: not typed into" if os.isatty(fd) else "not a terminal"
try:
    os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    results["/dev/tty"] = "opened"
except OSError as e:
    results["/dev/tty"] = e.errno
try:
    master, slave = os.openpty()
    targets["own pty"] = slave
except OSError as e:
    results["own pty"] = f"open: {e.errno}"
for name, fd in targets.items():
    try:
        fcntl.ioctl(fd, TIOCSTI, b"#")
        results[name] = "typed"
    except OSError as e:
        results[name] = e.errno
if "own pty" in targets:
    try:
        fcntl.ioctl(targets["own pty"], TIOCLINUX, b"\x02" + b"\0" * 31)
        results["own pty TIOCLINUX"] = "pasted"
    except OSError as e:
        results["own pty TIOCLINUX"] = e.errno
report["results"] = results
