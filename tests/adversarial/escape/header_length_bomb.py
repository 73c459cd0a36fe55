"""A header that announces 4 GB of JSON (then sleeps): refused on its length, nothing
allocated."""
import os
import time

os.write(result_pipe(), b"L\xff\xff\xff\xff{")
time.sleep(60)
