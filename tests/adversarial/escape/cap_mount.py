"""mount(2) and umount2(2) need CAP_SYS_ADMIN. Asked so that they cannot change anything even
where the capability is there: a file system type that does not exist (ENODEV, not EPERM,
would show the capability), and unmounting a path that does not exist (ENOENT / EINVAL)."""
import ctypes

libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
calls = {
    "mount_bogus_fs": lambda: libc.mount(b"none", b"/tmp", b"{{MARKER}}fs", 0, None),
    "mount_proc": lambda: libc.mount(b"proc", b"/tmp/{{MARKER}}-absent", b"proc", 0, None),
    "umount_absent": lambda: libc.umount2(b"/tmp/{{MARKER}}-absent", 0),
}
for name, call in calls.items():
    ctypes.set_errno(0)
    ret = call()
    report[name] = [ret, ctypes.get_errno()]
