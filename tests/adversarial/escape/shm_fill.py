"""Fill /dev/shm (POSIX shared memory lives there) up to 64 MB; removed again."""
import os

chunk = b"\0" * (1 << 20)
total, error = 0, None
try:
    with open("/dev/shm/{{MARKER}}-fill", "wb") as f:
        for _ in range(64):
            f.write(chunk)
            f.flush()
            total += len(chunk)
except OSError as e:
    error = e.errno
finally:
    try:
        os.unlink("/dev/shm/{{MARKER}}-fill")
    except OSError:
        pass
report.update(total_mb=total >> 20, error=error)
