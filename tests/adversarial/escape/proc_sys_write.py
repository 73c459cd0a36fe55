"""Host knobs that gave root on the old sandbox: opened for writing (O_WRONLY, no O_TRUNC)
and closed at once, never written. Every one must fail to open."""
import os

TARGETS = ["/proc/sys/kernel/core_pattern", "/proc/sys/kernel/domainname",
           "/proc/sys/kernel/hostname", "/proc/sys/kernel/modprobe", "/proc/sys/vm/drop_caches",
           "/proc/sysrq-trigger", "/proc/self/oom_score_adj", "/proc/1/oom_score_adj",
           "/proc/self/uid_map", "/proc/self/setgroups", "/proc/self/attr/current",
           "/dev/kmsg", "/dev/mem", "/dev/kmem", "/dev/port", "/dev/console",
           "/sys/kernel/uevent_helper", "/sys/fs/cgroup/cgroup.procs",
           "/sys/fs/cgroup/pids/cgroup.procs", "/sys/power/state"]
opened = []
for path in TARGETS:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError as e:
        report[path] = e.errno
        continue
    os.close(fd)
    opened.append(path)
report["opened"] = opened
report["sys_exists"] = os.path.lexists("/sys")
try:
    report["proc_listing"] = sorted(os.listdir("/proc"))
except OSError as e:
    report["proc_listing"] = e.errno
