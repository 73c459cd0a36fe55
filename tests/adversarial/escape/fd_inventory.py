"""Every open descriptor and what it is (fstat only): the child must hold /dev/null on 0-2
and the write end of its own result pipe, nothing inherited from the fork server or the
grader (the old fork server's "alive" pipe was one write away from killing it)."""
import os
import stat

fds = {}
for fd in range(0, 1024):
    try:
        st = os.fstat(fd)
    except OSError:
        continue
    kind = ("fifo" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
            else "chr" if stat.S_ISCHR(st.st_mode) else "reg" if stat.S_ISREG(st.st_mode)
            else "dir" if stat.S_ISDIR(st.st_mode) else oct(st.st_mode))
    flags = None
    try:
        import fcntl
        flags = fcntl.fcntl(fd, fcntl.F_GETFL) & 3       # O_RDONLY / O_WRONLY / O_RDWR
    except OSError:
        pass
    fds[fd] = [kind, st.st_rdev, flags]
report["fds"] = fds
report["null_rdev"] = os.stat("/dev/null").st_rdev
