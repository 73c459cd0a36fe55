"""chroot needs CAP_SYS_CHROOT: into the private /tmp (it only changes this process's root)."""
import os

try:
    os.chroot("/tmp")
    report["chroot"] = "succeeded"
except OSError as e:
    report["chroot"] = e.errno
