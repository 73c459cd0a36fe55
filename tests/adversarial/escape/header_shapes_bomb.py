"""A header listing three million empty array shapes (a 12 MB JSON header): refused on its
length before any of it is decoded."""
import json
import os

header = json.dumps({"meta": {"notes": []}, "shapes": [[]] * 3_000_000}).encode()
fd = result_pipe()
data = memoryview(b"L" + len(header).to_bytes(4, "big") + header)
while data:
    data = data[os.write(fd, data):]
