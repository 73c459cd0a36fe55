"""unshare(2) of every namespace kind, and setns(2): new namespaces would give back every
capability (a user namespace), or a fresh /proc (mount + PID). Only this process would
change if it worked."""
import ctypes

libc.unshare.argtypes = [ctypes.c_int]
libc.setns.argtypes = [ctypes.c_int, ctypes.c_int]
flags = {"user": 0x10000000, "mount": 0x20000, "pid": 0x20000000, "net": 0x40000000,
         "ipc": 0x8000000, "uts": 0x4000000, "cgroup": 0x2000000}
for name, flag in flags.items():
    ctypes.set_errno(0)
    report[f"unshare_{name}"] = [libc.unshare(flag), ctypes.get_errno()]
ctypes.set_errno(0)
report["setns"] = [libc.setns(0, 0), ctypes.get_errno()]      # fd 0 is /dev/null: EINVAL if allowed
