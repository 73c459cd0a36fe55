"""A daemon that leaves the session (fork, setsid, fork), names itself with the marker, and
fills the process cap with sleepers meant to outlive the submission and starve the next
students of the same grading slot. At most 64 sleepers of 20 s (bounded even on a broken
sandbox; the test kills whatever carries the marker)."""
import ctypes
import os
import time

libc = ctypes.CDLL(None)
r, w = os.pipe()
if os.fork() == 0:
    try:
        os.setsid()
        if os.fork() == 0:
            libc.prctl(15, b"{{COMM}}", 0, 0, 0)
            n = 0
            for _ in range(64):
                try:
                    if os.fork() == 0:
                        time.sleep(20)
                        os._exit(0)
                    n += 1
                except OSError:
                    break
            os.write(w, str(n).encode())
            time.sleep(20)
    finally:
        os._exit(0)
os.close(w)
print("sleepers:", os.read(r, 20).decode())
