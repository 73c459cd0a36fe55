"""What /dev holds, and the devices that must not open (read-only attempts, O_NOCTTY, never a
watchdog): disks, memory, the kernel log, terminals of the grader, GPUs, KVM, FUSE, TUN."""
import os

report["dev"] = sorted(os.listdir("/dev"))
candidates = ["/dev/tty", "/dev/tty0", "/dev/tty1", "/dev/ttyS0", "/dev/console", "/dev/pts/0",
              "/dev/pts/1", "/dev/mem", "/dev/kmem", "/dev/port", "/dev/kmsg", "/dev/sda",
              "/dev/vda", "/dev/nvme0n1", "/dev/loop0", "/dev/loop-control", "/dev/fuse",
              "/dev/net/tun", "/dev/kvm", "/dev/nvidia0", "/dev/nvidiactl", "/dev/dri/card0",
              "/dev/mqueue", "/dev/hugepages", "/dev/cpu/0/msr"]
opened = []
for path in candidates:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError as e:
        report[path] = e.errno
        continue
    os.close(fd)
    opened.append(path)
report["opened"] = opened
