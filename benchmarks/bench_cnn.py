"""05_cnn: how long grading a correct submission takes, training included, and the test
accuracy the reference reaches on the full digits split (where the threshold comes from).

    python benchmarks/bench_cnn.py                  # 3 whole commands, 40 training runs
    python benchmarks/bench_cnn.py --seeds 10 --repeat 1

1. `autograder grade reference/cnn.py --assignment 05_cnn --format json`, run as a whole
   command (interpreter start, torch import, the sandbox, the student's calls, the oracle) and
   timed from outside, `--repeat` times: wall time, and the CPU seconds of the command and
   every process it waited for (the sandbox included), which a loaded machine does not
   inflate; the JSON's own `seconds` (grading the submission) beside it. The same for
   01_convolution's reference as the baseline of this machine at this moment. The target:
   < 10 s.
2. The reference's full-split run (10 epochs, lr 0.1, batch 32) on `--seeds` fresh draws of
   the hidden case (initial weights and shuffling seed), in this process with one BLAS thread:
   the test accuracy (min, mean, max, the share that clears autograder.problems.cnn.ACCURACY)
   and the seconds per run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")      # as in the sandbox
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]


def whole_command(assignment: str, module: str, repeat: int) -> list[float]:
    import resource
    cmd = [sys.executable, "-m", "autograder", "grade", str(ROOT / "reference" / f"{module}.py"),
           "--assignment", assignment, "--format", "json"]
    walls = []
    print(f"  autograder grade reference/{module}.py --assignment {assignment} --format json")
    for i in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        walls.append(wall)
        result = json.loads(done.stdout)["submissions"][0]
        print(f"    run {i + 1}: exit {done.returncode}, {result['score']:g}/{result['max_score']:g}, "
              f"whole command {wall:5.2f} s wall, {cpu:5.2f} s CPU "
              f"(grading the submission {result['seconds']:5.2f} s)")
        if done.returncode != 0:
            print(done.stderr[-2000:])
    return walls


def accuracy(n_seeds: int) -> list[float]:
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import reference.cnn as ref
    from autograder.problems import cnn
    print(f"\n[2] the reference's full-split run on {n_seeds} draws of the hidden case "
          f"({cnn.EPOCHS} epochs, lr {cnn.LR}, batch {cnn.BATCH}, F={cnn.FILTERS}, Hd={cnn.HIDDEN})")
    accs, secs = [], []
    for seed in range(n_seeds):
        case = cnn.TRAIN.sample_cases(1000 + seed, hidden=True)[-1]
        start = time.perf_counter()
        params, history = ref.train(*case.args)
        secs.append(time.perf_counter() - start)
        accs.append(cnn.digits_accuracy([params[k] for k in cnn.KEYS]))
    a = np.array(accs)
    print(f"  test accuracy: min {a.min():.1%}, mean {a.mean():.1%}, max {a.max():.1%}; "
          f"threshold {cnn.ACCURACY:.0%}: {int((a >= cnn.ACCURACY).sum())}/{len(a)} clear it")
    print(f"  per run: {np.mean(secs):.2f} s mean, {max(secs):.2f} s max (one BLAS thread)")
    return accs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=40)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench_cnn: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {load:.2f}\n")
    print("[1] whole commands")
    whole_command("01_convolution", "convolution", 1)
    walls = whole_command("05_cnn", "cnn", args.repeat)
    print(f"  05_cnn whole command: min {min(walls):.2f} s, max {max(walls):.2f} s "
          f"(target < 10 s: {'met' if max(walls) < 10 else 'MISSED'})")
    accs = accuracy(args.seeds)
    from autograder.problems import cnn
    return 0 if max(walls) < 10 and min(accs) >= cnn.ACCURACY else 1


if __name__ == "__main__":
    sys.exit(main())
