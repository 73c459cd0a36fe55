# (shared by the protocol attacks, pasted in front of them by the test)
import fcntl as _fcntl
import os as _os
import stat as _stat


def result_pipe():
    """The write end of the result pipe, found by scanning the descriptors."""
    for fd in range(3, 1024):
        try:
            if _stat.S_ISFIFO(_os.fstat(fd).st_mode) and _fcntl.fcntl(fd, _fcntl.F_GETFL) & 3 == 1:
                return fd
        except OSError:
            continue
    raise RuntimeError("no result pipe found")
