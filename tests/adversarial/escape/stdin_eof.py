"""The grader's stdin and terminal: fd 0 must give end of file at once (no instructor's
keystrokes), none of 0-2 is a terminal, and /dev/tty (the controlling terminal) is absent."""
import os
import select

ready, _, _ = select.select([0], [], [], 1.0)
report["stdin_ready"] = bool(ready)
try:
    report["stdin"] = os.read(0, 100).decode("latin-1") if ready else "<blocked>"
except OSError as e:
    report["stdin"] = e.errno
report["isatty"] = [os.isatty(fd) for fd in (0, 1, 2)]
try:
    fd = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
    os.close(fd)
    report["dev_tty"] = "opened"
except OSError as e:
    report["dev_tty"] = e.errno
