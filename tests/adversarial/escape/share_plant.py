"""The first of two submissions graded one after the other on the same worker: it leaves a
marker in every place a process could share with the next one -- /tmp, /dev/shm, a SysV
shared memory segment, semaphore set and message queue, a key in the user and session
keyrings, and an abstract Unix socket held open by a daemon it leaves behind. (Every name
carries the test's marker; the test removes whatever is left on the host.)"""
import ctypes
import os
import socket
import time

KEY = {{IPC_KEY}}
for folder in ("/tmp", "/dev/shm"):
    try:
        with open(f"{folder}/{{MARKER}}-planted", "w") as f:
            f.write("{{MARKER}}")
        report[folder] = "planted"
    except OSError as e:
        report[folder] = e.errno
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
libc.semget.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
libc.msgget.argtypes = [ctypes.c_int, ctypes.c_int]
IPC_CREAT = 0o1000
for name, call in (("shmget", lambda: libc.shmget(KEY, 4096, IPC_CREAT | 0o600)),
                   ("semget", lambda: libc.semget(KEY, 1, IPC_CREAT | 0o600)),
                   ("msgget", lambda: libc.msgget(KEY, IPC_CREAT | 0o600))):
    ctypes.set_errno(0)
    report[name] = [call(), ctypes.get_errno()]
for ring, spec in (("user_keyring", -4), ("session_keyring", -3)):
    report[ring] = sys_call(248, b"user", b"{{MARKER}}-planted", b"{{MARKER}}", len("{{MARKER}}"), spec)
r, w = os.pipe()
if os.fork() == 0:                                  # the daemon holding the socket
    try:
        os.setsid()
        s = socket.socket(socket.AF_UNIX)
        s.bind("\0{{MARKER}}-planted")
        s.listen(1)
        libc.prctl(15, b"{{MARKER}}"[:15], 0, 0, 0)    # PR_SET_NAME: findable from outside
        os.write(w, b"bound")
        time.sleep(30)
    finally:
        os._exit(0)
os.close(w)
report["abstract_socket"] = os.read(r, 10).decode()
