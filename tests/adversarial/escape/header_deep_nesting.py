"""A header of 60,000 nested lists (under the size limit): the JSON decoder's recursion must
be that submission's error, not the grader's crash."""
import os
import time

header = b"[" * 60_000 + b"]" * 60_000
os.write(result_pipe(), b"L" + len(header).to_bytes(4, "big") + header)
time.sleep(60)
