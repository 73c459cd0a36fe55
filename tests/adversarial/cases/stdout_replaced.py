"""Close the captured stdout, replace sys.stdout / sys.stderr with odd objects and close the
file descriptors 1 and 2: the grade does not depend on any of them."""
import os
import sys

print("before")
sys.stdout.close()


class Sink:
    def write(self, s):
        raise OSError("no output for you")

    def flush(self):
        raise OSError("no flush either")


sys.stdout = Sink()
sys.stderr = None
sys.__stdout__ = sys.__stderr__ = Sink()
for fd in (1, 2):
    try:
        os.close(fd)
    except OSError:
        pass
