"""Who the student's code is inside: uid, gid, groups, pid, parent, session, host name."""
import os
import socket

report.update(uid=os.getuid(), euid=os.geteuid(), gid=os.getgid(), egid=os.getegid(),
              resuid=list(os.getresuid()), resgid=list(os.getresgid()), groups=os.getgroups(),
              pid=os.getpid(), ppid=os.getppid(), pgrp=os.getpgrp(), sid=os.getsid(0),
              hostname=socket.gethostname())
