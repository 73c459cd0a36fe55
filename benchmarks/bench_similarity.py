"""`autograder similarity` on a synthetic class: 300 students x the 6 problems of
01_convolution (tests/synthetic_class.py: students who wrote each function on their own, most
in the lecture's loop style, the bundled mistakes, 10 pairs who copied a whole notebook), as
`.py` files in nbgrader's submitted/STUDENT/ID/ layout.

    python benchmarks/bench_similarity.py              # 300 students, target < 60 s
    python benchmarks/bench_similarity.py --students 40

Times the whole command in one process (finding and reading the files, the per-problem
documents, normalising, fingerprinting, comparing every pair, writing pairs.csv, the groups
and a page per queued pair), the import of the command's modules excluded, then where the
time goes; and says how the copied pairs rank (each copied problem of substance: above every
honest pair?). Exit status 1 when the target is missed.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import similarity  # noqa: E402
from autograder.cli import main  # noqa: E402
from autograder.course import load_course  # noqa: E402
from tests.synthetic_class import make_class, write_class  # noqa: E402

TARGET_S = 60.0


def main_() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--copies", type=int, default=10, help="pairs who copied (default 10)")
    args = ap.parse_args()
    import copydetect.utils            # noqa: F401  (imported before the clock starts)
    course = load_course(ROOT / "course.yaml")
    conv = course.assignment("01_convolution")
    cls = make_class(args.students, seed=300, copy_pairs=args.copies)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    print(f"class: {len(cls.sources)} students x {len(conv.problems)} problems, "
          f"{len(cls.copying)} copying pairs, "
          f"{sum(len(s.splitlines()) for s in cls.sources.values()) // len(cls.sources)} lines each")
    with tempfile.TemporaryDirectory() as tmp:
        submitted = write_class(cls, Path(tmp))
        out = Path(tmp) / "similarity"
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()) as said:
            code = main(["similarity", str(submitted), "--assignment", conv.id, "--out", str(out),
                         "--lang", "en"])
        whole = time.perf_counter() - start
        assert code == 0, said.getvalue()
        with open(out / "pairs.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        pages = len(list((out / "pairs").iterdir()))
    print(f"whole command: {whole:.1f} s ({'under' if whole < TARGET_S else 'OVER'} the "
          f"{TARGET_S:.0f} s target); {len(rows)} pairs with distinctive code in common, "
          f"{pages} pages; {said.getvalue().strip()}")

    # where the time goes (the same steps, timed one by one)
    t0 = time.perf_counter()
    codes = dict(cls.sources)
    functions = {s: similarity.top_level_functions(c) for s, c in codes.items()}
    t1 = time.perf_counter()
    boilerplate = similarity.boilerplate_fingerprints(course, conv)
    names = {gp.name for gp in conv.problems}
    docs = {p: {s: similarity.problem_document(f, p, names) for s, f in functions.items()}
            for p in names}
    t2 = time.perf_counter()
    for p in docs:
        for d in docs[p].values():
            similarity.fingerprint(d, boilerplate[p])
    t3 = time.perf_counter()
    common = similarity.default_common(len(codes))
    pairs = {p: similarity.score_pairs(docs[p], common) for p in docs}
    t4 = time.perf_counter()
    print(f"  parse the files: {t1 - t0:.1f} s; documents, normalised: {t2 - t1:.1f} s; "
          f"fingerprints: {t3 - t2:.1f} s; every pair compared: {t4 - t3:.1f} s")

    copying = {tuple(sorted(p)) for p in cls.copying}
    above = short = below = 0
    for p, ps in pairs.items():
        best_honest = max((x.score for x in ps if (x.student_a, x.student_b) not in copying),
                          default=0.0)
        for a, b in copying:
            size = min(len(docs[p][a].hashes), len(docs[p][b].hashes))
            score = next((x.score for x in ps if (x.student_a, x.student_b) == (a, b)), 0.0)
            if size < similarity.MIN_SIZE:
                short += 1
            elif score > best_honest:
                above += 1
            else:
                below += 1
    print(f"copied (pair, problem): {above} above every honest pair, {below} not, {short} short "
          f"code (under {similarity.MIN_SIZE} fingerprints: not judged); common = {common} students")
    return 0 if whole < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main_())
