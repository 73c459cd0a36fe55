"""Grading throughput, per-submission overhead and memory, and nbgrader's own autograde as the
baseline on the same notebooks.

    python benchmarks/bench_grading.py                 # K=50 per assignment: 200 submissions
    python benchmarks/bench_grading.py --k 250         # the 1,000-submission target (< 5 min)
    python benchmarks/bench_grading.py --profile       # + cProfile of grade_file calls

What it does:
1. releases all four assignments through real nbgrader (autograder.release.release);
2. writes K submissions per assignment in nbgrader's layout (submitted/STUDENT/ID/ID.ext),
   mixed: 40% correct (the reference filled into the released notebook, or the reference
   .py), 40% wrong (the reference plus one examples/mistakes file, cycling through them), 20%
   slow but correct (a lecture-style loop conv / pooling, or a wrapper that sleeps or burns
   CPU in pure Python before calling the reference);
3. in a fresh child process (so that its peak memory is the grader's alone): imports the
   grader, warms the oracle (batch.warm_oracle, timed on its own), collects and identifies
   the files, grades them all with batch.grade_all(jobs=N) and reports submissions/s, the
   per-submission overhead (SubmissionResult.seconds minus the student's own compute, the sum
   of CheckResult.seconds) per assignment, and peak memory (getrusage maxrss, self and the
   sandbox children); then grades a sample of M 01_convolution notebooks with jobs=1 and N;
4. grades the same M notebooks with `nbgrader autograde` twice: in a course folder whose
   nbgrader_config.py is nbgrader's default (Execute in a fresh Jupyter kernel; the graded
   cells call autograder.notebook.graded, which prints and runs the public self-check), and in
   the release folder wired to autograder.nbgrader_plugin (SandboxGrades instead of Execute);
   prints seconds per submission and the ratio nbgrader / ours.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIX = ("correct_nb", "correct_py", "wrong_py", "wrong_nb", "correct_nb",
       "wrong_py", "slow_nb", "correct_py", "wrong_nb", "slow_py")     # 4 correct, 4 wrong, 2 slow

# A slow but correct answer per assignment: appended to the reference (a .py) or added as a
# last cell (a notebook), so it replaces one function.
SLOW = {
    "01_convolution": '''
def conv_forward(x, w, b, stride, pad):
    """The lecture's four loops: one window at a time."""
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    OH = (H + 2 * pad - FH) // stride + 1
    OW = (W + 2 * pad - FW) // stride + 1
    out = np.zeros((N, F, OH, OW), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out
''',
    "02_pooling": '''
def max_pool_forward(x, PH, PW, stride):
    """Loops over every output pixel."""
    N, C, H, W = x.shape
    OH, OW = (H - PH) // stride + 1, (W - PW) // stride + 1
    out = np.zeros((N, C, OH, OW), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    out[n, c, i, j] = x[n, c, i * stride:i * stride + PH, j * stride:j * stride + PW].max()
    return out
''',
    "03_rnn": '''
import time as _time
_fast_rnn_backward = rnn_backward

def rnn_backward(dh, x, h0, Wx, Wh, b):
    _time.sleep(0.02)                       # 20 ms of waiting per call
    return _fast_rnn_backward(dh, x, h0, Wx, Wh, b)
''',
    "04_lstm": '''
_fast_lstm_backward = lstm_backward

def lstm_backward(dh, x, h0, W, b):
    total = 0
    for i in range(200_000):                # pure-Python busy work per call
        total += i
    return _fast_lstm_backward(dh, x, h0, W, b)
''',
    "05_cnn": '''
def affine_forward(x, w, b):
    """One image at a time (training calls it for every batch)."""
    x_flat = x.reshape(x.shape[0], -1)
    return np.stack([x_flat[n] @ w + b for n in range(x.shape[0])])
''',
}


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.1f}" if seconds == seconds else "       -"     # nan: none


def maxrss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024        # Linux: kilobytes


# --------------------------------------------------------------------------- build
def build(course, root: Path, k: int) -> tuple[dict, Path]:
    """Release every assignment and write the submissions; returns the manifest and the
    nbgrader course folder the assignments were released into."""
    import nbformat
    from autograder.demo import fill_notebook
    from autograder.release import release

    course_dir = root / "nbgrader"
    manifest = {}
    for a in course.assignments:
        t = time.perf_counter()
        released = release(course, a, course_dir)
        print(f"  released {a.id} with nbgrader generate_assignment: {time.perf_counter() - t:.1f} s")
        reference = a.reference.read_text(encoding="utf-8")
        filled = nbformat.read(str(fill_notebook(released, a, root / f"{a.id}.filled.ipynb")),
                               as_version=4)
        mistakes = sorted((ROOT / "examples" / "mistakes" / a.id).glob("*.py"))
        n_wrong = 0
        for i in range(k):
            kind = MIX[i % len(MIX)]
            extra, mistake = "", None
            if kind.startswith("wrong"):
                mistake = mistakes[n_wrong % len(mistakes)] if mistakes else None
                n_wrong += 1
                extra = mistake.read_text(encoding="utf-8") if mistake else ""
            elif kind.startswith("slow"):
                extra = SLOW[a.id]
            folder = root / "submitted" / f"s{i:04d}" / a.id
            folder.mkdir(parents=True, exist_ok=True)
            if kind.endswith("_py"):
                path = folder / f"{a.id}.py"
                path.write_text(reference + ("\n\n# --- changed ---\n" + extra if extra else ""),
                                encoding="utf-8")
            else:
                path = folder / f"{a.id}.ipynb"
                nb = nbformat.from_dict(json.loads(json.dumps(filled)))
                if extra:
                    nb.cells.append(nbformat.v4.new_code_cell(extra))
                nbformat.write(nb, str(path))
            manifest[str(path)] = {"assignment": a.id, "kind": kind.rsplit("_", 1)[0],
                                   "mistake": mistake.name if mistake else None}
    return manifest, course_dir


# --------------------------------------------------------------------------- measure
def percentile(values, q):
    import numpy as np
    return float(np.percentile(values, q)) if values else float("nan")


def measure(args) -> None:
    """Runs in a fresh process: the grader's figures. Writes measure.json into the workdir."""
    root = Path(args.measure)
    manifest = json.loads((root / "manifest.json").read_text())
    t = time.perf_counter()
    from autograder import batch
    from autograder.course import load_course
    course = load_course(ROOT / "course.yaml")
    t_import = time.perf_counter() - t
    print(f"  import autograder (with torch) + load course.yaml:  {t_import:6.2f} s")

    t = time.perf_counter()
    batch.warm_oracle(course.assignments)
    t_warm = time.perf_counter() - t
    print(f"  oracle warm-up, batch.warm_oracle (all 4, cpu{'+cuda' if _cuda() else ''}): {t_warm:6.2f} s")

    t = time.perf_counter()
    paths = batch.collect([str(root / "submitted")])
    items = [batch.identify(course, p) for p in paths]
    t_ident = time.perf_counter() - t
    unknown = [i for i in items if i.assignment is None]
    print(f"  collect + identify {len(items)} files:                  {t_ident:6.2f} s"
          f"{f'  ({len(unknown)} not identified!)' if unknown else ''}")

    t = time.perf_counter()
    results = {}
    for item, result in batch.grade_all(course, items, jobs=args.jobs):
        results[str(item.path)] = result
    wall = time.perf_counter() - t
    n = len(results)
    print(f"\n  grade_all, jobs={args.jobs}: {n} submissions in {wall:.2f} s "
          f"= {n / wall:.1f} submissions/s ({wall / n * 1e3:.1f} ms each)")

    surprises = []
    for path, r in results.items():
        m = manifest[path]
        full = r.error is None and abs(r.score - r.max_score) < 1e-9
        if (m["kind"] == "wrong") == full:
            surprises.append(f"{path}: {m['kind']} {m['mistake'] or ''} scored {r.score}/{r.max_score}"
                             f"{' ' + r.error if r.error else ''}")
    print(f"  scores as expected (correct/slow full marks, wrong less): "
          f"{n - len(surprises)}/{n}")
    for s in surprises[:10]:
        print(f"    UNEXPECTED {s}")

    # per-submission overhead, per assignment
    print("\n  per-submission overhead = SubmissionResult.seconds - sum(CheckResult.seconds), ms"
          "\n  (grading wall time of one submission minus the student's own compute; under"
          f"\n  jobs={args.jobs} it includes waiting for a core)")
    header = (f"  {'assignment':16} {'n':>4} {'calls':>5} {'overhead med':>12} {'p95':>8} "
              f"{'correct med':>11} {'wrong med':>9} {'slow med':>8} {'compute med':>11} "
              f"{'wall med':>8}")
    print(header)
    from autograder.grading import hidden_cases, plan

    def n_calls(a) -> int:
        return len(plan(a, hidden_cases(a, b"\0" * 32, "count")))
    table = {}
    for a in course.assignments:
        rows = [(manifest[p]["kind"], r) for p, r in results.items()
                if manifest[p]["assignment"] == a.id]
        over = {kind: [r.seconds - sum(c.seconds for c in r.problems) for k2, r in rows
                       if kind in (None, k2)] for kind in (None, "correct", "wrong", "slow")}
        compute = [sum(c.seconds for c in r.problems) for _, r in rows]
        walls = [r.seconds for _, r in rows]
        table[a.id] = {"median_ms": percentile(over[None], 50) * 1e3,
                       "p95_ms": percentile(over[None], 95) * 1e3}
        print(f"  {a.id:16} {len(rows):4d} {n_calls(a):5d} {ms(percentile(over[None], 50)):>12} "
              f"{ms(percentile(over[None], 95)):>8} {ms(percentile(over['correct'], 50)):>11} "
              f"{ms(percentile(over['wrong'], 50)):>9} {ms(percentile(over['slow'], 50)):>8} "
              f"{ms(percentile(compute, 50)):>11} {ms(percentile(walls, 50)):>8}")
    allover = [r.seconds - sum(c.seconds for c in r.problems) for r in results.values()]
    print(f"  {'all':16} {n:4d} {'':5} {ms(percentile(allover, 50)):>12} "
          f"{ms(percentile(allover, 95)):>8}")
    reading = []
    from autograder.submission import read_submission
    for p in paths:
        t = time.perf_counter()
        read_submission(p)
        reading.append(time.perf_counter() - t)
    ipynb = [s for p, s in zip(paths, reading) if p.suffix == ".ipynb"]
    py = [s for p, s in zip(paths, reading) if p.suffix == ".py"]
    print(f"  not in SubmissionResult.seconds: reading the file, median "
          f"{percentile(ipynb, 50) * 1e3:.1f} ms (.ipynb), {percentile(py, 50) * 1e3:.2f} ms (.py)")

    # the nbgrader comparison sample: the first M 01_convolution notebooks
    sample = [i for i in items if i.assignment is not None and i.assignment.id == "01_convolution"
              and i.path.suffix == ".ipynb"][:args.nbgrader_sample]
    ours = {}
    for jobs in sorted({1, args.jobs}):
        t = time.perf_counter()
        got = list(batch.grade_all(course, sample, jobs=jobs))
        ours[jobs] = (time.perf_counter() - t) / max(1, len(got))
    if sample:
        print(f"\n  sample of {len(sample)} 01_convolution notebooks "
              f"({', '.join(manifest[str(i.path)]['kind'] for i in sample)}), ours: "
              + ", ".join(f"jobs={j}: {s * 1e3:.0f} ms/submission" for j, s in ours.items()))

    # peak memory
    rss_self = maxrss_mb(resource.RUSAGE_SELF)
    probe = [i for a in course.assignments for kind in ("correct", "wrong", "slow")
             for i in [i for i in items if i.assignment is a
                       and manifest[str(i.path)]["kind"] == kind][:2]]
    with ChildMemory() as sampled:                  # untimed: the sampler costs some CPU
        list(batch.grade_all(course, probe, jobs=args.jobs))
    print(f"\n  peak memory:\n"
          f"    grader process, getrusage(RUSAGE_SELF).ru_maxrss:        {rss_self:6.0f} MB")
    if sampled.children:
        hwm = sorted(sampled.children.values())
        print(f"    sandboxed processes, VmHWM sampled from /proc while re-grading {len(probe)} of "
              f"them:\n      max {hwm[-1]:.0f} MB, median {percentile(hwm, 50):.0f} MB over "
              f"{len(hwm)} children; the fork server itself {sampled.server:.0f} MB")
    else:
        print("    sandbox children: /proc sampling saw none (not Linux?)")

    fixed_costs(course)
    oracle_costs(course)
    if args.profile:
        profile(course, items, manifest)

    (root / "measure.json").write_text(json.dumps({
        "import_s": t_import, "warm_s": t_warm, "identify_s": t_ident, "wall_s": wall, "n": n,
        "per_s": n / wall, "overhead": table, "rss_self_mb": rss_self,
        "surprises": len(surprises),
        "sample": [str(i.path) for i in sample], "ours_per_sub": {str(j): s for j, s in ours.items()},
    }, indent=1))


class ChildMemory:
    """Samples, from /proc, the peak resident size (VmHWM) of the fork server and of every
    child it forks, while the `with` block runs (Linux only; sees nothing elsewhere)."""

    def __init__(self, interval: float = 0.005):
        import threading
        self.interval, self.children, self.server = interval, {}, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _hwm(pid) -> float:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            pass
        return 0.0

    @staticmethod
    def _sandboxed() -> dict[str, int]:
        """{pid: parent pid} of every process running the sandbox's worker script."""
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
                if b"/sandbox/worker.py" not in argv or b"bwrap" in argv[0]:
                    continue                                   # not Python under bwrap
                with open(f"/proc/{entry}/stat") as f:
                    found[entry] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
        return found

    def _run(self):
        while not self._stop.wait(self.interval):
            if not os.path.isdir("/proc"):
                return
            procs = self._sandboxed()
            for pid, ppid in procs.items():
                hwm = self._hwm(pid)
                if str(ppid) not in procs:                 # a fork server (its parent: bwrap)
                    self.server = max(self.server, hwm)
                elif hwm:                                  # a submission's keeper or runner
                    self.children[pid] = max(self.children.get(pid, 0.0), hwm)


def _cuda() -> bool:
    from autograder import oracle
    return "cuda" in oracle.devices_present(("cpu", "cuda"))


def profile(course, items, manifest) -> None:
    """cProfile over grade_file: one correct and one wrong .py submission per assignment."""
    import cProfile
    import io
    import pstats
    from autograder.grading import grade_file
    picked = []
    for a in course.assignments:
        for kind in ("correct", "wrong"):
            picked += [i for i in items if i.assignment is not None and i.assignment.id == a.id
                       and manifest[str(i.path)]["kind"] == kind][:1]
    for i in picked:                         # once unprofiled: caches as in a long batch
        grade_file(course, i.assignment, i.path)
    phases(course, picked, manifest)
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for _ in range(3):
        for i in picked:
            grade_file(course, i.assignment, i.path)
    prof.disable()
    wall = time.perf_counter() - t
    print(f"\n  cProfile: grade_file x {3 * len(picked)} (one correct + one wrong .py per "
          f"assignment, 3 rounds), {wall / (3 * len(picked)) * 1e3:.1f} ms each, parent process only")
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(key).print_stats(22)
        text = out.getvalue()
        start = text.find("   ncalls")
        print(f"\n  sorted by {key}:")
        print("\n".join("  " + line for line in text[start:].splitlines() if line.strip()))


def phases(course, picked, manifest, rounds: int = 5) -> None:
    """Without a profiler: one grade split into its steps, as grading.grade_source does them."""
    import statistics
    from autograder import sandbox
    from autograder.grading import hidden_cases, plan, score_problem
    from autograder.secret import load_secret, submission_digest
    from autograder.submission import read_submission
    secret = load_secret(course.root, create=True)
    print(f"\n  one submission, step by step (jobs=1, no profiler, median of {rounds}), ms:")
    print(f"  {'submission':46} {'read':>6} {'cases+plan':>10} {'sandbox.run':>11} "
          f"{'of it student':>13} {'oracle+score':>12}")
    for item in picked:
        steps = {k: [] for k in ("read", "plan", "run", "student", "score")}
        for _ in range(rounds):
            t0 = time.perf_counter()
            sub = read_submission(item.path)
            t1 = time.perf_counter()
            cases = hidden_cases(item.assignment, secret, submission_digest(sub.cells))
            calls = plan(item.assignment, cases)
            t2 = time.perf_counter()
            run = sandbox.run(sub.cells, f"<{sub.path.name}>", calls, course.policy)
            t3 = time.perf_counter()
            for gp in item.assignment.problems:
                score_problem(gp, cases[gp.name], run.results)
            t4 = time.perf_counter()
            for k, v in zip(steps, (t1 - t0, t2 - t1, t3 - t2,
                                    sum(r.seconds for r in run.results.values()), t4 - t3)):
                steps[k].append(v)
        name = f"{item.assignment.id}/{item.path.name} ({manifest[str(item.path)]['kind']})"
        med = {k: statistics.median(v) * 1e3 for k, v in steps.items()}
        print(f"  {name:46} {med['read']:6.1f} {med['plan']:10.1f} {med['run']:11.1f} "
              f"{med['student']:13.1f} {med['score']:12.1f}")


def fixed_costs(course) -> None:
    """What a submission costs whatever the student wrote: one sandbox child's round trip,
    with and without isolation (benchmarks/bench_isolation.py has more), and each further
    call's round trip."""
    import dataclasses
    import statistics
    from autograder import sandbox
    probe = [(0, "def f():\n    return 0.0\n")]

    def child(n_calls: int, unsafe: bool = False) -> float:
        policy = dataclasses.replace(course.policy, unsafe=unsafe)
        rounds = []
        for _ in range(15):
            t = time.perf_counter()
            sandbox.run(probe, "<probe>", [sandbox.Call(f"k{i}", "f", "f", (), 1)
                                           for i in range(n_calls)], policy)
            rounds.append(time.perf_counter() - t)
        return statistics.median(rounds[1:])

    one, many, bare = child(1), child(81), child(1, unsafe=True)
    print(f"\n  fixed costs (jobs=1):\n    a sandbox child that defines one function and answers "
          f"one call: median {one * 1e3:.1f} ms\n      (the same without isolation, "
          f"--unsafe-no-sandbox: {bare * 1e3:.1f} ms; isolation costs {(one - bare) * 1e3:+.1f} ms)"
          f"\n    each further call of a trivial function (81 vs 1 call): "
          f"{(many - one) / 80 * 1e3:.3f} ms")


def oracle_costs(course, n: int = 10) -> None:
    """The per-submission oracle: each submission draws its own hidden cases (HMAC of the
    course secret and its code), so their expected values are computed per submission."""
    import statistics
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_oracle import grade_cost
    secret = os.urandom(32)
    print(f"\n  the per-submission oracle (draw the hidden cases, every expected value), "
          f"median of {n}, ms:")
    for a in course.assignments:
        grade_cost(a, secret, "warm-up")
        walls = [grade_cost(a, secret, f"{a.id}-{i}")[0] for i in range(n)]
        print(f"    {a.id:16} {statistics.median(walls):6.1f}")


# --------------------------------------------------------------------------- nbgrader
DEFAULT_CONFIG = '''# nbgrader's default autograde pipeline (Execute in a fresh kernel): the baseline.
c = get_config()
c.CourseDirectory.course_id = "course"
c.CourseDirectory.root = {root!r}
'''


LOG_FORMAT = "--Application.log_format=%(asctime)s.%(msecs)03d [%(name)s | %(levelname)s] %(message)s"
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \[[^]|]+\| \w+\] (.*)$")


def notebook_spans(log: str) -> list[float]:
    """Seconds nbgrader spent on each submission, from its timestamped log: from 'Creating/
    updating student' to the 'Setting destination file permissions' that ends that one."""
    from datetime import datetime
    spans, start = [], None
    for line in log.splitlines():
        m = STAMP.match(line.strip())
        if not m:
            continue
        t = datetime.strptime(m[1], "%Y-%m-%d %H:%M:%S.%f").timestamp()
        if m[2].startswith("Creating/updating student"):
            start = t
        elif m[2].startswith("Setting destination file permissions") and start is not None:
            spans.append(t - start)
            start = None
    return spans


def nbgrader_baseline(course_dir: Path, root: Path, sample: list[str]) -> dict:
    """`nbgrader autograde` of the sample, default pipeline and plugin: per notebook (from the
    log) and per whole command; and our own whole command, `autograder grade`, on the same."""
    import statistics
    from autograder.release import nbgrader
    aid = "01_convolution"
    figures = {}
    default = root / "nbgrader_default"
    default.mkdir()
    (default / "nbgrader_config.py").write_text(DEFAULT_CONFIG.format(root=str(default)))
    shutil.copytree(course_dir / "source" / aid, default / "source" / aid)
    t = time.perf_counter()
    nbgrader(default, "generate_assignment", aid, "--force")
    print(f"  generate_assignment in the default-pipeline course folder: {time.perf_counter() - t:.1f} s")
    for key, label, folder in (("default", "default (Execute in a kernel)", default),
                               ("plugin", "with autograder.nbgrader_plugin (SandboxGrades)", course_dir)):
        for src in sample:
            student = Path(src).parent.parent.name
            dest = folder / "submitted" / student / aid / f"{aid}.ipynb"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dest)
        t = time.perf_counter()
        log = nbgrader(folder, "autograde", aid, "--force", LOG_FORMAT, timeout=3600)
        wall = time.perf_counter() - t
        spans = notebook_spans(log)
        if len(spans) != len(sample):
            print(f"  (could not read per-notebook times from nbgrader's log: {len(spans)} spans)")
            spans = [wall / len(sample)] * len(sample)
        figures[key] = {"label": label, "wall": wall, "per_command": wall / len(sample),
                        "per_notebook": statistics.median(spans), "fixed": wall - sum(spans)}
        print(f"  nbgrader autograde, {label}:\n    {len(sample)} notebooks in {wall:.1f} s "
              f"= {wall / len(sample):.2f} s/submission for the whole command; per notebook "
              f"(its log) median {statistics.median(spans):.2f} s, max {max(spans):.2f} s; "
              f"start-up and the rest {wall - sum(spans):.1f} s")
    cmd = [sys.executable, "-m", "autograder", "grade", *sample, "--format", "json"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    figures["ours_cli"] = wall / len(sample)
    print(f"  ours, the whole command `autograder grade` on the same {len(sample)} (exit "
          f"{proc.returncode}): {wall:.1f} s = {wall / len(sample):.2f} s/submission")
    return figures


# --------------------------------------------------------------------------- main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, default=50, help="submissions per assignment (default 50)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="grade_all parallelism (default: the number of cores)")
    parser.add_argument("--nbgrader-sample", type=int, default=6, metavar="M",
                        help="01_convolution notebooks graded by nbgrader autograde (default 6; 0: skip)")
    parser.add_argument("--profile", action="store_true", help="also cProfile grade_file calls")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)   # the child's mode
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)     # the child's lines and ours, in order
    if args.measure:
        measure(args)
        return 0

    start = time.perf_counter()
    root = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-grading-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    try:
        print(f"bench_grading: K={args.k} per assignment, jobs={args.jobs}, "
              f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, "
              f"load average {os.getloadavg()[0]:.2f}")
        from autograder.course import load_course
        course = load_course(ROOT / "course.yaml")
        print(f"\n[1] building {args.k * len(course.assignments)} submissions in {root}")
        t = time.perf_counter()
        manifest, course_dir = build(course, root, args.k)
        (root / "manifest.json").write_text(json.dumps(manifest))
        counts = {}
        for m in manifest.values():
            counts[m["kind"]] = counts.get(m["kind"], 0) + 1
        print(f"  built in {time.perf_counter() - t:.1f} s: "
              + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))

        print("\n[2] grading (a fresh process: its memory is the grader's alone)")
        child = [sys.executable, str(Path(__file__).resolve()), "--measure", str(root),
                 "--jobs", str(args.jobs), "--nbgrader-sample", str(args.nbgrader_sample)]
        if args.profile:
            child.append("--profile")
        subprocess.run(child, check=True)
        figures = json.loads((root / "measure.json").read_text())

        if args.nbgrader_sample > 0 and figures["sample"]:
            print(f"\n[3] nbgrader autograde on the same {len(figures['sample'])} notebooks")
            nb = nbgrader_baseline(course_dir, root, figures["sample"])
            ours = figures["ours_per_sub"]
            print("\n  ratio nbgrader / ours, seconds per submission:")
            print("    per notebook (nbgrader's log) / grade_all on the sample, oracle warm:")
            for key in ("default", "plugin"):
                print(f"      {nb[key]['label']:48} " + "   ".join(
                    f"vs jobs={j}: {nb[key]['per_notebook'] / o:6.1f}x" for j, o in ours.items()))
            print("    whole command / whole command (`autograder grade`, start-up included):")
            for key in ("default", "plugin"):
                print(f"      {nb[key]['label']:48} {nb[key]['per_command'] / nb['ours_cli']:6.1f}x")
        total = time.perf_counter() - start
        n = figures["n"]
        print(f"\nsummary: {n} submissions graded in {figures['wall_s']:.1f} s "
              f"({figures['per_s']:.1f}/s, jobs={args.jobs}); oracle warm-up {figures['warm_s']:.1f} s; "
              f"import {figures['import_s']:.1f} s; whole benchmark {total:.0f} s; "
              f"load average now {os.getloadavg()[0]:.2f}")
        if n >= 1000:
            grading = figures["import_s"] + figures["warm_s"] + figures["identify_s"] + figures["wall_s"]
            print(f"1,000-submission target (< 5 min): import + warm-up + identify + grading = "
                  f"{grading:.0f} s -> {'met' if grading < 300 else 'NOT met'}")
        return 1 if figures["surprises"] else 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
