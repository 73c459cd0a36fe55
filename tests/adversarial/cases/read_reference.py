"""A submission with no code of its own: it takes the hidden reference from the course folder
(absolute path, the package path, the instructor notebook, git) and prints what it finds, with
course.yaml (the hidden seeds). Standalone: graded as it is, without the reference."""
import glob
import json
import os
import sys

ROOT = "{{COURSE_ROOT}}"


def show(path, n=2000):
    try:
        with open(path, "rb") as f:
            text = f.read(n).decode("utf-8", "replace")
    except OSError as e:
        print(f"{path}: {e}")
        return None
    print(f"--- {path}\n{text}")
    return text


source = show(f"{ROOT}/reference/convolution.py", 100_000)
if source:
    exec(source)                                   # every function of the reference
show(f"{ROOT}/course.yaml")
for path in glob.glob(f"{ROOT}/reference/*") + glob.glob(f"{ROOT}/examples/**/*", recursive=True):
    show(path)
try:
    nb = json.loads(show(f"{ROOT}/assignments/01_convolution/01_convolution.ipynb", 10 ** 6) or "{}")
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            exec("".join(cell["source"]).replace("from autograder import check", ""))
except Exception as e:
    print("notebook:", e)
for path in glob.glob(f"{ROOT}/.git/*"):
    show(path)
try:
    sys.path.insert(0, ROOT)
    from reference.convolution import *            # noqa: F401,F403
except Exception as e:
    print("import:", e)
print(sorted(os.listdir(ROOT)) if os.path.isdir(ROOT) else "no course folder")
