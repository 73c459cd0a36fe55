"""A load message (which carries no arrays) that announces the most arrays of the most
elements a message may hold, 16 x 4,000,000 float64 (512 MB), and sends them: the grader
should refuse arrays it does not expect before reading them, and its memory stay bounded."""
import json
import os

header = json.dumps({"meta": {"notes": []}, "shapes": [[4_000_000]] * 16}).encode()
fd = result_pipe()
os.write(fd, b"L" + len(header).to_bytes(4, "big") + header)
block = memoryview(b"\0" * (32_000_000))
for _ in range(16):
    data = block
    while data:
        data = data[os.write(fd, data):]
