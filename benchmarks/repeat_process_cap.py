"""The process-cap test, 20 runs in a row (issue 10 asked for it: it used to fail now and then
when fork() hit the cap under load). Each run: 400 sandboxed children, 4 at a time, each
reporting the process limit it runs under.

    python benchmarks/repeat_process_cap.py [--runs 20]
"""
from __future__ import annotations

import argparse
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.course import load_course  # noqa: E402
from tests.adversarial import test_adversarial  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args()
    batch = types.SimpleNamespace(capped=True, course=load_course(ROOT / "course.yaml"))
    for i in range(args.runs):
        start = time.perf_counter()
        test_adversarial.test_the_process_cap_holds_under_concurrency(batch)
        print(f"run {i + 1}: passed in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
