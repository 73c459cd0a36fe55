"""Leave files in the machine's shared scratch folders (/tmp, /var/tmp, /dev/shm, the home
folder): none of them may exist after grading."""
import os

for folder in ("/tmp", "/var/tmp", "/dev/shm", "/root", os.path.expanduser("~")):
    try:
        with open(os.path.join(folder, "pwned_{{MARKER}}"), "w") as f:
            f.write("pwned")
        print("wrote", folder)
    except OSError as e:
        print(folder, e)
