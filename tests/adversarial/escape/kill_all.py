"""The fork-server killer, signal edition: SIGKILL to every process it can see (kill(-1),
then each pid of 1..4096), to its process group (killpg) and its parent. Only where it is
PID 1 of its own PID namespace and sees a handful of processes -- never on a machine where
the sandbox is broken."""
import os
import signal

visible = []
for pid in range(1, 4097):
    try:
        os.kill(pid, 0)
        visible.append(pid)
    except ProcessLookupError:
        pass
    except PermissionError:
        visible.append(pid)
print("visible:", visible[:20], "pid", os.getpid())
if os.getpid() == 1 and len(visible) <= 8:
    for attack in (lambda: os.kill(-1, signal.SIGKILL),
                   *[(lambda p=p: os.kill(p, signal.SIGKILL)) for p in visible if p != 1],
                   lambda: os.kill(os.getppid(), signal.SIGKILL) if os.getppid() else None,
                   lambda: os.killpg(os.getpgrp(), signal.SIGKILL) if os.getpgrp() else None):
        try:
            attack()
        except OSError:
            pass
else:
    print("not attacking: not alone in a PID namespace")
