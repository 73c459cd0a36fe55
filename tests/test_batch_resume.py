"""A batch killed with SIGKILL midway resumes where it stopped: every result exactly once,
nothing graded twice, nothing lost."""
import csv
import json
import os
import signal
import subprocess
import sys
import time

from tests.conftest import ROOT, class_folder

N = 24


def test_sigkill_midway_then_resume(tmp_path, reference_source):
    subs = class_folder(tmp_path, {f"student{i:02d}": "import time\ntime.sleep(0.3)\n" + reference_source
                                   for i in range(N)})
    out = tmp_path / "out"
    records = out / "records"
    cmd = [sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out), "--jobs", "2",
           "--no-progress"]
    first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and (not records.is_dir() or len(list(records.iterdir())) < 5):
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    done_before = {p.name: p.stat().st_mtime_ns for p in records.glob("*.json")}
    assert 5 <= len(done_before) < N, "the kill should land midway"
    for record in records.glob("*.json"):                # a torn temp file may remain, never a torn record
        assert sum(p["score"] for p in json.loads(record.read_text())["result"]["problems"]) == 13

    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    finished = {p.name: p.stat().st_mtime_ns for p in records.glob("*.json")}
    assert len(finished) == N
    assert all(finished[name] == mtime for name, mtime in done_before.items()), "graded twice"
    with open(out / "scores.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == N and len({r["submission"] for r in rows}) == N
    assert all(float(r["score"]) == 13 for r in rows)
