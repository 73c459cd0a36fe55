"""A daemon that leaves the process group and the session (double fork + setsid) and sleeps
on with a marker in its command line: it must not outlive the sandbox."""
import os
import sys

try:
    r, w = os.pipe()
    if os.fork() == 0:
        try:
            os.setsid()
            pid = os.fork()
            if pid == 0:
                os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(30)",
                                          "{{MARKER}}-escaped"])
            os.write(w, str(pid).encode())
        finally:
            os._exit(0)
    os.close(w)
    print("daemon started:", os.read(r, 100).decode())
    os.wait()
except OSError as e:
    print("no daemon:", e)
