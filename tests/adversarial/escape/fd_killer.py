"""The fork-server killer, descriptor edition: one byte written to every inherited pipe and
socket (the old fork server died of one byte on its "alive" pipe), then every descriptor
closed. Regular files and devices are never written."""
import os
import stat

for fd in range(0, 1024):
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        continue
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        try:
            os.write(fd, b"\0")
        except OSError:
            pass
os.closerange(0, 1024)
