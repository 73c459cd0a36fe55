"""One submission, one command: what `autograder grade one.ipynb` costs from start to exit.

    python benchmarks/bench_single.py [--runs 15] [--out benchmarks/results/bench_single.txt]

1. **The whole command**, `autograder grade one.ipynb` (the console script, text output) on
   the same notebook N times, interleaved with the floor it cannot go below on this machine:
   `python -c "import torch"` (the oracle needs PyTorch) and `python -c pass`. Median, min and
   max wall time, and the CPU seconds of the whole process tree (grader, bubblewrap, the
   sandbox's fork server and child), from the children's rusage.
2. **Inside it**: the same command with `--format json`, whose `seconds` is the grading of
   the submission (reading excluded: sandbox run, oracle, comparison, diagnosis).
3. **Where the time goes**: the command run through a driver that timestamps its steps from
   the process's own start (kernel start time in /proc): interpreter ready, course loaded,
   the sandbox started and probed, PyTorch imported (in its background thread), the
   submission graded, output written, exit.
4. **`check()`** on one function in a fresh interpreter standing in for a kernel: the first
   call (imports included) and the next ones (a warm kernel).

one.ipynb is the instructor's notebook of 01_convolution (the reference solutions in the
released notebook's form): 13/13. Timing under load is slower, not wrong: the load average
is printed before and after.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "assignments" / "01_convolution" / "01_convolution.ipynb"

# Run by the interpreter under test: the CLI with timestamps from the process's own start.
TIMELINE = r'''
import os, sys, time, threading
def _start():
    """This process's start on the time.time() clock: its start in clock ticks after boot
    (/proc/self/stat) against the seconds since boot now (/proc/uptime)."""
    with open("/proc/self/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return time.time() - (uptime - ticks / os.sysconf("SC_CLK_TCK"))
START = _start()
marks = []
def mark(what):
    marks.append((what, time.time() - START))
mark("interpreter ready")
import autograder.cli as cli
from autograder import batch, course, grading, oracle, sandbox
mark("autograder.cli imported")
def after(mod, name, label):
    f = getattr(mod, name)
    def wrapped(*a, **k):
        out = f(*a, **k)
        mark(label)
        return out
    setattr(mod, name, wrapped)
after(course, "load_course", "course.yaml loaded")
after(sandbox, "ensure_available", "sandbox started and probed")
after(batch, "grade_file", "submission graded")
quietly = oracle._import_quietly
def imported():
    quietly()
    mark("PyTorch imported (background thread)")
oracle._import_quietly = imported
end = cli._end_process
def ending(code):
    mark("output written")
    sys.stderr.write("TIMELINE " + repr(marks) + "\n")
    sys.stderr.flush()
    end(code)
cli._end_process = ending
sys.argv = ["autograder", "grade", sys.argv[1]]
cli.main()
'''

CHECK = r'''
import time
t0 = time.perf_counter()
exec(open(__import__("sys").argv[1]).read())          # the student's cells: the reference
from autograder import check
times = []
for _ in range(4):
    t = time.perf_counter()
    check("conv_forward", conv_forward)
    times.append(time.perf_counter() - t)
import sys
sys.stderr.write("CHECK " + repr(times) + "\n")
'''


def loadavg() -> str:
    return open("/proc/loadavg").read().split()[0]


def command() -> list[str]:
    script = Path(sys.executable).with_name("autograder")
    return [str(script)] if script.exists() else [sys.executable, "-m", "autograder"]


def timed(argv: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall s, CPU s of the process tree, the completed process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, **kw)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def summary(values: list[float]) -> str:
    return (f"median {statistics.median(values):.2f} s (min {min(values):.2f}, "
            f"max {max(values):.2f})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--out", type=Path, help="also write the report here")
    args = ap.parse_args()
    lines: list[str] = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    work = Path(tempfile.mkdtemp(prefix="bench-single-"))
    one = work / "one.ipynb"
    shutil.copyfile(NOTEBOOK, one)
    grade = command() + ["grade", str(one)]
    env = dict(os.environ, AUTOGRADER_COURSE=str(ROOT / "course.yaml"))
    say(f"bench_single: {args.runs} runs, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, load average {loadavg()} at the start")
    say(f"command: {' '.join(Path(a).name if a == grade[0] else a for a in grade[:-1])} "
        f"one.ipynb  (one.ipynb = {NOTEBOOK.relative_to(ROOT)})")

    wall: dict[str, list[float]] = {"grade": [], "torch": [], "python": []}
    cpu: dict[str, list[float]] = {"grade": [], "torch": [], "python": []}
    floors = {"torch": [sys.executable, "-c", "import torch"],
              "python": [sys.executable, "-c", "pass"]}
    timed(grade, env=env)                                     # page cache, course secret
    for _ in range(args.runs):
        w, c, done = timed(grade, env=env)
        if done.returncode != 0 or "13 / 13" not in done.stdout:
            say(f"FAILED: exit {done.returncode}\n{done.stdout}{done.stderr}")
            return 1
        wall["grade"].append(w)
        cpu["grade"].append(c)
        for key, argv in floors.items():
            w, c, _ = timed(argv, env=env)
            wall[key].append(w)
            cpu[key].append(c)
    say("\n[1] the whole command (start-up, imports, sandbox, grading, output, exit), "
        f"{args.runs} runs interleaved")
    say(f"  autograder grade one.ipynb    wall {summary(wall['grade'])}; "
        f"CPU {statistics.median(cpu['grade']):.2f} s (process tree)")
    say(f"  python -c 'import torch'      wall {summary(wall['torch'])}; "
        f"CPU {statistics.median(cpu['torch']):.2f} s")
    say(f"  python -c pass                wall {summary(wall['python'])}; "
        f"CPU {statistics.median(cpu['python']):.2f} s")
    extra = [g - t for g, t in zip(wall["grade"], wall["torch"])]
    say(f"  the command minus `import torch` run right after it: median {statistics.median(extra):+.2f} s")
    target = statistics.median(wall["grade"]) <= 1.5
    say(f"  target <= 1.5 s: {'met' if target else 'not met'}")

    seconds = []
    for _ in range(max(3, args.runs // 3)):
        _, _, done = timed(grade + ["--format", "json"], env=env)
        seconds.append(json.loads(done.stdout)["submissions"][0]["seconds"])
    say("\n[2] inside it: SubmissionResult.seconds (`--format json`: the sandbox run, the "
        "oracle, comparison and diagnosis;\n    it includes waiting for PyTorch's background "
        "import when the oracle is needed before that import ends)")
    say(f"  median {statistics.median(seconds):.3f} s over {len(seconds)} runs")

    rows: dict[str, list[float]] = {}
    for _ in range(max(3, args.runs // 3)):
        _, _, done = timed([sys.executable, "-c", TIMELINE, str(one)], env=env)
        text = next((l for l in done.stderr.splitlines() if l.startswith("TIMELINE ")), None)
        if text is None:
            say(f"timeline run failed:\n{done.stderr[-2000:]}")
            return 1
        for what, at in eval(text[len("TIMELINE "):]):         # our own repr of (str, float)
            rows.setdefault(what, []).append(at)
    say("\n[3] where the time goes: seconds after the process started (median of "
        f"{len(next(iter(rows.values())))} runs; PyTorch imports in a thread meanwhile)")
    for what, ats in sorted(rows.items(), key=lambda kv: statistics.median(kv[1])):
        say(f"  {statistics.median(ats):6.2f}  {what}")
    torch_at, graded_at, out_at = (rows.get(k) for k in (
        "PyTorch imported (background thread)", "submission graded", "output written"))
    if torch_at and graded_at and out_at:
        say("  after PyTorch arrived: graded in "
            f"{statistics.median(g - t for g, t in zip(graded_at, torch_at)):.3f} s, output in "
            f"{statistics.median(o - g for o, g in zip(out_at, graded_at)):.3f} s more")

    reference = ROOT / "reference" / "convolution.py"
    _, _, done = timed([sys.executable, "-c", CHECK, str(reference)], env=env)
    text = next((l for l in done.stderr.splitlines() if l.startswith("CHECK ")), None)
    if text is None:
        say(f"check() run failed:\n{done.stderr[-2000:]}")
        return 1
    times = eval(text[len("CHECK "):])
    say("\n[4] check('conv_forward', conv_forward) in a fresh interpreter (a kernel)")
    say(f"  first call {times[0]:.3f} s (imports included); then "
        f"{', '.join(f'{t:.3f}' for t in times[1:])} s (warm; target <= 0.3 s)")

    say(f"\nload average {loadavg()} at the end")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
