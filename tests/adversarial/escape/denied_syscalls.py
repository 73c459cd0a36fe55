"""System calls the seccomp filter refuses, each asked in a way that changes nothing even
where it is allowed (bad arguments checked after the permission): EPERM is the filter's
answer; anything else (EINVAL, EFAULT, EBADF, ENOENT, or success) means it got through."""
import os

CALLS = {   # name: (x86_64 number, args)
    "bpf": (321, 9999, None, 0),
    "perf_event_open": (298, None, 0, -1, -1, 0),
    "userfaultfd": (323, 0),
    "io_uring_setup": (425, 0, None),
    "kexec_file_load": (320, -1, -1, 0, None, 0),
    "init_module": (175, None, 0, b""),
    "finit_module": (313, -1, b"", 0),
    "delete_module": (176, b"{{MARKER}}", 0o4000),
    "reboot": (169, 0, 0, 0, None),                   # wrong magic numbers: EINVAL at most
    "swapon": (167, b"/tmp/{{MARKER}}-absent", 0),
    "syslog": (103, 10, None, 0),                     # SYSLOG_ACTION_SIZE_BUFFER: read-only
    "open_by_handle_at": (304, -1, None, 0),
    "name_to_handle_at": (303, -100, b"/tmp", None, None, 0),
    "fanotify_init": (300, 0xFFFFFFFF, 0),
    "sethostname": (170, b"x" * 100, 1000),           # too long: EINVAL after the permission
    "setdomainname": (171, b"x" * 100, 1000),
    "settimeofday": (164, None, None),
    "clock_settime": (227, 12345, None),
    "personality": (135, 0xFFFFFFFF),                 # a query: changes nothing
    "pidfd_getfd": (438, -1, 0, 0),
    "kcmp": (312, os.getpid(), os.getpid(), 0, 0, 0),
    "process_madvise": (440, -1, None, 0, 0, 0),
    "quotactl": (179, 0, None, 0, None),
    "memfd_secret": (447, 0),
    "open_tree": (428, -1, b"/tmp", 0),
    "fsopen": (430, b"{{MARKER}}fs", 0),
    "lookup_dcookie": (212, 0, None, 0),
    "iopl": (172, 0),
    "ioperm": (173, 0, 0, 0),
}
for name, (nr, *args) in CALLS.items():
    ret, err = sys_call(nr, *args)
    report[name] = [ret, err]
    if ret >= 0 and name in ("userfaultfd", "fsopen", "open_tree", "memfd_secret"):
        os.close(ret)
