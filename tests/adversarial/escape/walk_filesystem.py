"""Walk everything the sandbox shows (links not followed, /proc, /sys and /dev aside,
regular files only) and report
every file whose bytes hold a needle the test planted or knows: a marker in the nbgrader
course folder the grader runs from, in a second checkout elsewhere (/opt), the reference
solutions' own lines, the course secret. Also every folder named torch, every non-empty
site-packages / dist-packages, the top of the tree, the working folder, sys.path and the
environment. Read-only."""
import os
import stat
import sys

NEEDLES = [n.encode() for n in {{NEEDLES}}]
report["cwd"] = os.getcwd()
report["sys_path"] = list(sys.path)
report["environ"] = sorted(os.environ)
report["secret_in_environ"] = any(n.decode() in v for v in os.environ.values() for n in NEEDLES)
report["top"] = sorted(os.listdir("/"))
hits, torch_dirs, site_dirs, n_files, n_bytes, errors = [], [], [], 0, 0, 0
for folder, dirs, files in os.walk("/", followlinks=False):
    if folder in ("/proc", "/dev", "/sys"):
        dirs[:] = []
        continue
    for d in dirs:
        if d == "torch" or d.startswith("torch-"):
            torch_dirs.append(os.path.join(folder, d))
        if d in ("site-packages", "dist-packages"):
            try:
                if os.listdir(os.path.join(folder, d)):
                    site_dirs.append(os.path.join(folder, d))
            except OSError:
                pass
    for name in files:
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size > {{MAX_BYTES}}:
                continue                        # links, FIFOs and devices are never opened
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            errors += 1
            continue
        n_files += 1
        n_bytes += len(data)
        for needle in NEEDLES:
            if needle in data:
                hits.append(path)
                break
report.update(hits=hits[:50], torch_dirs=torch_dirs[:50], site_dirs=site_dirs[:50],
              n_files=n_files, n_bytes=n_bytes, unreadable=errors)
