"""What explaining a failure costs: the corpus of typical mistakes (tests/corpus/mistakes)
graded with and without `grading.explain` (the smallest failing case and the probes: one
more sandbox session of ungraded calls, only for a submission with a failing problem),
alternating, after a warm-up; and how many failing problems got a minimal case, how large.

    python benchmarks/bench_explain.py            # ~1.5 min on 2 cores
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import grading  # noqa: E402
from autograder.course import load_course  # noqa: E402
from autograder.oracle import use_one_thread  # noqa: E402
from tests.corpus import harness  # noqa: E402


def main() -> None:
    use_one_thread()
    course = load_course(harness.ROOT / "course.yaml")
    entries = harness.entries("mistakes")
    real, skip = grading.explain, (lambda course, assignment, submission, problems: problems)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(e, harness.write(e, Path(tmp), "ipynb")) for e in entries]

        def grade_all():
            return [grading.grade_file(course, course.assignment(e.assignment), p, harness.SECRET)
                    for e, p in jobs]
        grade_all()                                  # warm-up: workers, oracles, lattices
        times = {"with": [], "without": []}
        for _ in range(2):
            for label, fn in (("without", skip), ("with", real)):
                grading.explain = fn
                start = time.perf_counter()
                results = grade_all()
                times[label].append(time.perf_counter() - start)
        grading.explain = real
    failing = [p for r in results for p in r.problems if p.status != "pass"]
    shown = [p for p in failing if p.minimal]
    small = [p for p in shown if not p.minimal["public"]]
    absent = [p for p in failing if not p.minimal and (
        p.error == "missing" or (p.error or "").startswith("not loaded")
        or any(m.detail == "missing" or m.detail.startswith("not loaded") for m in p.mismatches))]
    n = len(jobs)
    best = {k: min(v) for k, v in times.items()}
    print(f"{n} mistake submissions (each with a failing problem), graded sequentially, best of 2:")
    print(f"  without explain: {best['without']:.2f} s ({best['without'] / n * 1000:.0f} ms each)")
    print(f"  with explain:    {best['with']:.2f} s ({best['with'] / n * 1000:.0f} ms each); "
          f"+{(best['with'] - best['without']) / n * 1000:.0f} ms per failing submission")
    print(f"failing problems: {len(failing)}; with a minimal case: {len(shown)} "
          f"(from the small lattice: {len(small)}; the smallest public case: {len(shown) - len(small)}); "
          f"none: {len(failing) - len(shown)} ({len(absent)} missing or not loaded; "
          f"{len(failing) - len(shown) - len(absent)} wrong on hidden cases only, where no public "
          f"or small case fails)")


if __name__ == "__main__":
    main()
