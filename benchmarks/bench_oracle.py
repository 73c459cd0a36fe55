"""The per-submission oracle: what each submission's own hidden cases cost the grader.

Hidden cases are drawn per submission (HMAC of the course secret and the code's digest), so
the oracle runs once per submission and assignment. This times, per assignment, after one
warm-up submission: drawing the cases and evaluating every expected value grading needs
(each case, in each graded dtype, on each device present), and separately the diagnosis of a
submission that fails every problem (every misconception's mimic on every case).

    python benchmarks/bench_oracle.py [--n 50] [--threads 1]

Wall time and CPU time are both shown: on a shared machine the CPU time is the steadier.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import torch

from autograder import oracle
from autograder.course import load_course
from autograder.grading import _dtypes, hidden_cases

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn) -> tuple[float, float]:
    """(wall ms, CPU ms) of fn()."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1e3, (time.process_time() - cpu) * 1e3


def grade_cost(assignment, secret: bytes, digest: str) -> tuple[float, float]:
    """Draw one submission's hidden cases and evaluate every expected value grading needs."""
    def run():
        cases = hidden_cases(assignment, secret, digest)
        for gp in assignment.problems:
            for dtype in _dtypes(gp):
                for device in oracle.devices_present(gp.devices):
                    cases[gp.name].expected(dtype, device)
    return _timed(run)


def diagnosis_cost(assignment, secret: bytes, digest: str) -> tuple[float, float]:
    """Every misconception's mimic on every case: a submission failing every problem."""
    cases = hidden_cases(assignment, secret, digest)
    return _timed(lambda: [cases[gp.name].mimicked(m.name)
                           for gp in assignment.problems for m in gp.problem.misconceptions])


def _median(pairs, i: int) -> float:
    return statistics.median(p[i] for p in pairs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=50, help="submissions per assignment")
    p.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's)")
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    course = load_course(ROOT / "course.yaml")
    secret = os.urandom(32)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, devices "
          f"{', '.join(oracle.devices_present())}; {args.n} submissions per assignment")
    print("median ms per submission: wall / CPU")
    print(f"{'assignment':16} {'grading (every expected value)':>31} {'p95 wall':>9} "
          f"{'diagnosis (all fail)':>21}")
    totals = [0.0, 0.0]
    for a in course.assignments:
        grade_cost(a, secret, "warm-up")
        diagnosis_cost(a, secret, "warm-up")
        g = [grade_cost(a, secret, f"{a.id}-{i}") for i in range(args.n)]
        d = [diagnosis_cost(a, secret, f"{a.id}-{i}") for i in range(max(5, args.n // 5))]
        walls = sorted(w for w, _ in g)
        totals = [totals[0] + _median(g, 0), totals[1] + _median(g, 1)]
        print(f"{a.id:16} {_median(g, 0):22.1f} / {_median(g, 1):6.1f} "
              f"{walls[int(0.95 * (len(walls) - 1))]:9.1f} "
              f"{_median(d, 0):12.1f} / {_median(d, 1):6.1f}")
    print(f"{'all four':16} {totals[0]:22.1f} / {totals[1]:6.1f}")


if __name__ == "__main__":
    main()
