"""A header under the size limit that still lists 12,000 shapes of zero elements: refused on
the count before any array is read."""
import json
import os
import time

header = json.dumps({"meta": {"notes": []}, "shapes": [[0]] * 12_000}).encode()
os.write(result_pipe(), b"L" + len(header).to_bytes(4, "big") + header)
time.sleep(60)
