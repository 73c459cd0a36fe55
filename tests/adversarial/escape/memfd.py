"""memfd_create: anonymous files whose pages escaped RLIMIT_AS (3 GB kept against a 2 GB
limit). Only created (and sized to 0), never filled: creation itself must be refused."""
import os

try:
    fd = os.memfd_create("{{MARKER}}")
    os.close(fd)
    report["os.memfd_create"] = "created"
except OSError as e:
    report["os.memfd_create"] = e.errno
report["syscall_319"] = sys_call(319, b"{{MARKER}}", 0)
if report["syscall_319"][0] >= 0:
    os.close(report["syscall_319"][0])
