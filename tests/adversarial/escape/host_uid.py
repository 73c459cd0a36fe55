"""Names itself (PR_SET_NAME) and sleeps while the test, outside, looks its process up in the
host's /proc: uid, gid, capabilities, no_new_privs and seccomp as the host sees them."""
import time

libc.prctl(15, b"{{COMM}}", 0, 0, 0)
time.sleep({{SLEEP}})
report["slept"] = True
