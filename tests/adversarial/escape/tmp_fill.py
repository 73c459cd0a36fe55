"""Fill the private /tmp with 8 MB files (each under the 16 MB file size limit), then one
file past the file size limit, up to 128 MB plus 40 MB; everything written is removed again.
Reports how much went in: the tmpfs's size bounds it."""
import os

chunk = b"\0" * (1 << 20)
total, files, error = 0, [], None
try:
    for i in range(16):
        path = f"/tmp/{{MARKER}}-fill-{i}"
        files.append(path)
        with open(path, "wb") as f:
            for _ in range(8):
                f.write(chunk)
                total += len(chunk)
except OSError as e:
    error = e.errno
finally:
    for path in files:
        try:
            os.unlink(path)
        except OSError:
            pass
report.update(total_mb=total >> 20, error=error)
big, error = 0, None
try:
    with open("/tmp/{{MARKER}}-big", "wb") as f:
        for _ in range(40):
            f.write(chunk)
            f.flush()
            big += len(chunk)
except OSError as e:
    error = e.errno
finally:
    try:
        os.unlink("/tmp/{{MARKER}}-big")
    except OSError:
        pass
report.update(big_mb=big >> 20, big_error=error)
