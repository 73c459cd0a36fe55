"""What /proc shows: the fork server's and the grader's environment, memory, status and file
descriptors were all under /proc on the old sandbox. Read attempts only."""
import os

paths = ["/proc/self/status", "/proc/self/environ", "/proc/self/mem", "/proc/self/maps",
         "/proc/self/fd", "/proc/1/environ", "/proc/1/mem", "/proc/1/cmdline", "/proc/2/environ",
         "/proc/2/mem", "/proc/3/environ", "/proc/self/cgroup", "/proc/mounts", "/proc/kallsyms",
         "/proc/keys", "/proc/sysvipc/shm", "/proc/net/unix", "/proc/self/root"]
readable = {}
for path in paths:
    try:
        if os.path.isdir(path):
            readable[path] = os.listdir(path)[:20]
        else:
            with open(path, "rb") as f:
                readable[path] = f.read(200).decode("latin-1")
    except OSError as e:
        report[path] = e.errno
report["readable"] = readable
report["mem_writable"] = []
for path in ("/proc/self/mem", "/proc/1/mem"):
    try:
        os.close(os.open(path, os.O_WRONLY))
        report["mem_writable"].append(path)
    except OSError:
        pass
