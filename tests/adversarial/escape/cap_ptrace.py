"""ptrace(2) and its cousins: PTRACE_TRACEME (in a child), attaching to a child of its own
(harmless if it worked), process_vm_readv of itself, and the processes it can see (kill(pid,
0) over 1..4096): nothing of the fork server may be visible, let alone traceable. Other
processes are only PTRACE_SEIZEd (which stops nothing) and only where at most 8 are visible:
never the processes of a host whose sandbox is broken."""
import ctypes
import os
import signal
import time

libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long
r, w = os.pipe()
tracee = os.fork()
if tracee == 0:
    ctypes.set_errno(0)
    ret = libc.ptrace(0, 0, None, None)
    os.write(w, f"{ret} {ctypes.get_errno()}".encode())
    os._exit(0)
os.close(w)
report["traceme"] = [int(x) for x in os.read(r, 100).split()]
os.waitpid(tracee, 0)
child = os.fork()
if child == 0:
    time.sleep(5)
    os._exit(0)
ctypes.set_errno(0)
report["attach_child"] = [libc.ptrace(16, child, None, None), ctypes.get_errno()]
ctypes.set_errno(0)
report["seize_child"] = [libc.ptrace(0x4206, child, None, None), ctypes.get_errno()]
os.kill(child, signal.SIGKILL)
os.waitpid(child, 0)
buf = ctypes.create_string_buffer(8)
iov_local = (ctypes.c_void_p * 2)(ctypes.addressof(buf), 8)
iov_remote = (ctypes.c_void_p * 2)(ctypes.addressof(buf), 8)
report["process_vm_readv"] = sys_call(310, os.getpid(), iov_local, 1, iov_remote, 1, 0)
visible = []
for pid in range(1, 4097):
    try:
        os.kill(pid, 0)
        visible.append(pid)
    except ProcessLookupError:
        pass
    except PermissionError:
        visible.append(pid)
report["visible_pids"] = visible[:100]
attached = []
if len(visible) <= 8:
    for pid in visible:
        if pid != os.getpid():
            ctypes.set_errno(0)
            if libc.ptrace(0x4206, pid, None, None) == 0:     # PTRACE_SEIZE: no stop
                attached.append(pid)
report["attached"] = attached
