"""The second submission: looks for everything the first one left (read-only)."""
import ctypes
import os
import socket

KEY = {{IPC_KEY}}
for folder in ("/tmp", "/dev/shm"):
    try:
        report[folder] = sorted(os.listdir(folder))
    except OSError as e:
        report[folder] = e.errno
libc.shmget.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_int]
libc.semget.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
libc.msgget.argtypes = [ctypes.c_int, ctypes.c_int]
for name, call in (("shmget", lambda: libc.shmget(KEY, 0, 0)),
                   ("semget", lambda: libc.semget(KEY, 0, 0)),
                   ("msgget", lambda: libc.msgget(KEY, 0))):
    ctypes.set_errno(0)
    report[name] = [call(), ctypes.get_errno()]
for ring, spec in (("user_keyring", -4), ("session_keyring", -3)):
    # KEYCTL_SEARCH = 10
    report[ring] = sys_call(250, 10, spec, b"user", b"{{MARKER}}-planted", 0)
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("\0{{MARKER}}-planted")
    report["abstract_socket"] = "connected"
except OSError as e:
    report["abstract_socket"] = e.errno
s.close()
