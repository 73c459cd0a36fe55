"""The fork-server killer through the process group: kill(0, SIGTERM) signals every process in
the caller's process group, whatever PID namespace it is in; the child is PID 1 of its own
namespace (it ignores signals it has no handler for), but the keeper and the fork server
would be hit if they shared its group. Only where it is PID 1 of its own PID namespace."""
import os
import signal

if os.getpid() == 1:
    try:
        os.kill(0, signal.SIGTERM)
        print("kill(0) sent")
    except OSError as e:
        print("kill(0):", e)
