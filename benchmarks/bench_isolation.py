"""What trusting the grade costs per submission: the sandbox, and the per-submission oracle.

    python benchmarks/bench_isolation.py [--n 100] [--per-assignment 12]

1. **Isolation.** The same trivial submission (one function, one call) through
   `sandbox.run`, N times per setting, with the bubblewrap sandbox and with the baseline: the
   same fork server, protocol and messages started without bubblewrap, namespaces, seccomp
   or cgroups (what `--unsafe-no-sandbox` runs). Both do the same work and return the same
   answer (checked). jobs=1 and jobs=2 (threads, as `grade --jobs 2`). The difference of the
   medians is the cost of isolation per submission.
2. **The whole per-submission overhead** at jobs=2: `grade_file` on correct submissions (the
   reference with a distinct comment each, so each draws its own hidden cases), as
   `SubmissionResult.seconds` minus the student's own compute, per assignment; and of it, the
   per-submission oracle (drawing the cases and every expected value), timed alone.
3. **One whole command**, start-up included: `autograder grade reference/convolution.py`.
4. **An honest batch** (`--batch N`): N correct submissions (the four references, each with a
   distinct comment: its own digest and hidden cases) in nbgrader's layout, graded by the
   real command `autograder grade submitted/ --jobs 2 --out DIR`; every one must get full
   marks (a spurious failure is an infrastructure fault taken for a grade).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL = [(0, "def f(x):\n    return x * 2\n")]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


def isolation(n: int) -> dict:
    from autograder import sandbox
    call = [sandbox.Call("k", "f", "f", (np.arange(4.0),))]
    out = {}
    for label, policy in (("sandbox", sandbox.Policy(timeout_s=10)),
                          ("baseline", sandbox.Policy(timeout_s=10, unsafe=True))):
        for jobs in (1, 2):
            def one(_):
                t = time.perf_counter()
                run = sandbox.run(TRIVIAL, "<bench>", call, policy)
                assert run.results["k"].outputs[0].tolist() == [0.0, 2.0, 4.0, 6.0]
                return time.perf_counter() - t
            with ThreadPoolExecutor(jobs) as pool:
                list(pool.map(one, range(2 * jobs)))          # start the workers
                start = time.perf_counter()
                times = list(pool.map(one, range(n)))
                wall = time.perf_counter() - start
            out[label, jobs] = (statistics.median(times), pct(times, 0.95), n / wall)
    print(f"\n[1] isolation: a trivial submission through sandbox.run, {n} per setting")
    print(f"  {'':10} {'jobs':>4} {'median ms':>10} {'p95 ms':>8} {'submissions/s':>14}")
    for (label, jobs), (med, p95, rate) in out.items():
        print(f"  {label:10} {jobs:4d} {med * 1e3:10.1f} {p95 * 1e3:8.1f} {rate:14.1f}")
    for jobs in (1, 2):
        cost = out["sandbox", jobs][0] - out["baseline", jobs][0]
        print(f"  cost of isolation per submission, jobs={jobs}: {cost * 1e3:+.1f} ms "
              f"(sandbox / baseline = {out['sandbox', jobs][0] / out['baseline', jobs][0]:.2f}x)")
    return out


def overhead(per_assignment: int) -> dict:
    from autograder.course import load_course
    from autograder.grading import _dtypes, grade_file, hidden_cases
    from autograder import oracle
    from autograder.secret import load_secret, submission_digest
    from autograder.submission import read_submission
    import tempfile
    course = load_course(ROOT / "course.yaml")
    secret = load_secret(course.root, create=True)
    oracle.use_one_thread()
    folder = Path(tempfile.mkdtemp(prefix="bench-isolation-"))
    print(f"\n[2] the whole per-submission overhead, jobs=2, {per_assignment} correct "
          "submissions per assignment, each with its own hidden cases")
    print(f"  {'assignment':16} {'overhead median':>16} {'p95':>7} {'of it, oracle':>14} "
          f"{'student compute':>16}   (ms)")
    rows = {}
    for a in course.assignments:
        paths = []
        for i in range(per_assignment + 2):
            p = folder / f"{a.id}-{i}.py"
            p.write_text(a.reference.read_text() + f"\n# submission {i}\n")
            paths.append(p)
        grade_file(course, a, paths[0], secret)                 # warm: imports, workers
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda p: grade_file(course, a, p, secret), paths[1:]))
        assert all(r.passed for r in results), [r.path for r in results if not r.passed]
        over = [r.seconds - sum(c.seconds for c in r.problems) for r in results]
        student = [sum(c.seconds for c in r.problems) for r in results]
        oracle_ms = []
        for p in paths[1:]:
            digest = submission_digest(read_submission(p).cells)
            t = time.perf_counter()
            cases = hidden_cases(a, secret, digest)
            for gp in a.problems:
                for dtype in _dtypes(gp):
                    for device in oracle.devices_present(gp.devices):
                        cases[gp.name].expected(dtype, device)
            oracle_ms.append(time.perf_counter() - t)
        rows[a.id] = (statistics.median(over), pct(over, 0.95), statistics.median(oracle_ms),
                      statistics.median(student))
        print(f"  {a.id:16} {rows[a.id][0] * 1e3:16.1f} {rows[a.id][1] * 1e3:7.1f} "
              f"{rows[a.id][2] * 1e3:14.1f} {rows[a.id][3] * 1e3:16.1f}")
    return rows


def whole_command(rounds: int = 3) -> float:
    cmd = [sys.executable, "-m", "autograder.cli", "--lang", "en", "grade",
           str(ROOT / "reference" / "convolution.py"), "--assignment", "01_convolution"]
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t)
    print(f"\n[3] one whole command, `autograder grade reference/convolution.py` (start-up, "
          f"import, sandbox start, grading, exit): median of {rounds} {statistics.median(times):.2f} s")
    return statistics.median(times)


def honest_batch(n: int) -> int:
    import csv
    import tempfile
    from autograder.course import load_course
    course = load_course(ROOT / "course.yaml")
    root = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    for i in range(n):
        a = course.assignments[i % len(course.assignments)]
        folder = root / "submitted" / f"s{i:05d}" / a.id
        folder.mkdir(parents=True)
        (folder / f"{a.id}.py").write_text(a.reference.read_text() + f"\n# student {i}\n")
    cmd = [sys.executable, "-m", "autograder.cli", "--lang", "en", "grade",
           str(root / "submitted"), "--jobs", "2", "--out", str(root / "out"), "--no-progress"]
    t = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    with open(root / "out" / "scores.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    wrong = [r for r in rows if float(r["score"]) != float(r["max_score"]) or r["error"]]
    print(f"\n[4] an honest batch: {n} correct submissions, `autograder grade submitted/ --jobs 2 "
          f"--out`: {wall:.1f} s ({n / wall:.1f}/s, exit {done.returncode}); {len(rows)} graded, "
          f"{len(wrong)} not at full marks")
    for r in wrong[:10]:
        print(f"    {r['submission']}: {r['score']}/{r['max_score']} {r['error']}")
    return len(wrong) + (len(rows) != n) + (done.returncode != 0)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100, help="trivial submissions per setting")
    p.add_argument("--per-assignment", type=int, default=12)
    p.add_argument("--batch", type=int, default=0, metavar="N",
                   help="also grade N honest submissions with the CLI (e.g. 2000)")
    p.add_argument("--only-batch", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    print(f"bench_isolation: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"uid {os.geteuid()}, load average {os.getloadavg()[0]:.2f}")
    failures = 0
    if not args.only_batch:
        isolation(args.n)
        overhead(args.per_assignment)
        whole_command()
    if args.batch:
        failures = honest_batch(args.batch)
    print(f"\nload average now {os.getloadavg()[0]:.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
