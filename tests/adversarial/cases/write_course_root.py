"""Create files in the course folder, in the grader's own package and in the hidden reference
folder (only new files with a marker name: nothing existing is touched)."""
import os

for folder in ("{{COURSE_ROOT}}", "{{COURSE_ROOT}}/autograder", "{{COURSE_ROOT}}/reference",
               "{{COURSE_ROOT}}/tests"):
    try:
        with open(os.path.join(folder, "pwned_{{MARKER}}"), "w") as f:
            f.write("pwned")
        print("wrote", folder)
    except OSError as e:
        print(folder, e)
