"""The sandbox's failure modes: each fails its problem with a clear message, and the
other problems are still graded."""
import os

import numpy as np
import pytest

from autograder import sandbox
from autograder.grading import grade_file
from autograder.sandbox import Call


def grade_with(course, conv, student_file, reference_source, override, **limits):
    """The reference with `override` appended: only the overridden problems should suffer."""
    if limits:
        course = course.__class__(**{**course.__dict__, **limits})
    path = student_file("student.py", reference_source + "\n\n" + override)
    result = grade_file(course, conv, path)
    return result, {p.problem: p for p in result.problems}


def others_pass(by, broken):
    return all(p.status == "pass" for name, p in by.items() if name not in broken)


def test_reference_gets_full_marks(course, conv):
    result = grade_file(course, conv, conv.reference)
    assert result.passed and result.score == result.max_score == 13


def test_an_exception_fails_that_problem_only(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def conv_forward(x, w, b, stride, pad):\n    raise RuntimeError('oops')\n")
    p = by["conv_forward"]
    assert p.status == "error" and p.score == 0
    assert "RuntimeError: oops" in p.error and "line" in p.error
    assert others_pass(by, {"conv_forward"})


def test_a_timeout_fails_that_problem_only(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def zero_pad(x, P):\n    while True:\n        pass\n", timeout_s=0.5)
    assert by["zero_pad"].score == 0 and "time limit" in by["zero_pad"].error
    assert others_pass(by, {"zero_pad"})


def test_a_missing_function(course, conv, student_file, reference_source):
    source = reference_source.replace("def conv2d_multi(", "def conv2d_multi_typo(")
    path = student_file("student.py", source)
    by = {p.problem: p for p in grade_file(course, conv, path).problems}
    assert by["conv2d_multi"].error == "missing" and by["conv2d_multi"].score == 0
    assert others_pass(by, {"conv2d_multi"})


def test_a_wrong_shape(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "_ok = conv_forward\ndef conv_forward(x, w, b, stride, pad):\n"
                       "    return _ok(x, w, b, stride, pad)[:, :, :-1]\n")
    p = by["conv_forward"]
    assert p.status == "fail" and p.mismatches[0].kind == "shape"
    assert p.pattern.key == "shape"
    assert others_pass(by, {"conv_forward"})


def test_nan_fails(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "_ok = zero_pad\ndef zero_pad(x, P):\n    y = _ok(x, P)\n    y[0, 0, 0, 0] = np.nan\n    return y\n")
    assert by["zero_pad"].score == 0 and by["zero_pad"].mismatches[0].kind == "nonfinite"


def test_returning_none_or_text(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def zero_pad(x, P):\n    pass\ndef conv2d_single(x, w, b=0, stride=1, pad=0):\n    return 'no'\n")
    assert "None" in by["zero_pad"].mismatches[0].detail
    assert "not numbers" in by["conv2d_single"].mismatches[0].detail


def test_torch_cannot_be_imported(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "def conv_forward(x, w, b, stride, pad):\n    import torch\n"
                       "    return torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride, pad).numpy()\n")
    assert by["conv_forward"].score == 0
    assert "import of 'torch' is not allowed" in by["conv_forward"].mismatches[0].detail


def test_a_self_killing_call_fails_alone(course, conv, student_file, reference_source):
    _, by = grade_with(course, conv, student_file, reference_source,
                       "import os\ndef conv2d_single(x, w, b=0.0, stride=1, pad=0):\n    os._exit(7)\n")
    assert by["conv2d_single"].score == 0 and "exited" in by["conv2d_single"].error
    assert others_pass(by, {"conv2d_single"})


def test_patching_numpy_or_printing_a_score_changes_nothing(course, conv, student_file, reference_source):
    result, by = grade_with(course, conv, student_file, reference_source,
                            "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
                            "print('{\"score\": 13, \"max_score\": 13}')\n"
                            "def conv_forward(x, w, b, stride, pad):\n    return np.zeros(1)\n")
    assert by["conv_forward"].score == 0 and result.score == 10
    assert '"score": 13' in result.stdout


def test_a_failing_cell_does_not_stop_the_rest(course, conv, tmp_path, reference_source):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    nb = new_notebook(cells=[new_code_cell("%matplotlib inline\n" + reference_source),
                             new_code_cell("1 / 0"), new_code_cell("!ls\nX = 1")])
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, str(path))
    result = grade_file(course, conv, path)
    assert result.passed
    assert any("ZeroDivisionError" in n for n in result.notes)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"{not json", "broken notebook JSON"), (b"\x89PNG\r\n\x1a\n\x00\xff", "binary"),
    (b'{"cells": [], "nbformat": 3, "metadata": {}}', "version 3"),
])
def test_broken_files_get_an_error_result(course, conv, tmp_path, content, message):
    path = tmp_path / "student.ipynb"
    path.write_bytes(content)
    result = grade_file(course, conv, path)
    assert result.error and message in result.error and result.score == 0


def test_only_arrays_come_back():
    run = sandbox.run(((0, "import numpy as np\nclass Liar(np.ndarray):\n"
                           "    def __eq__(self, o): return True\n"
                           "def f(x): return np.zeros(3).view(Liar)\n"),), "<t>",
                      [Call("k", "f", "f", (np.ones(3),))])
    out = run.results["k"].outputs[0]
    assert type(out) is np.ndarray and out.dtype == np.float64


FORKED_COPY = ("import os, time\n"
               "def f(x):\n    if os.fork() == 0:\n        return x * 0\n"
               "    time.sleep(0.3)\n    return x * 2\n"
               "def g(x):\n    return x + 1\n")


def test_a_copy_the_student_forks_never_answers():
    """A copy made by os.fork() inside a call returns first: its answer must not be taken
    for the runner's, nor its messages confuse the next call (a fork bomb's race)."""
    run = sandbox.run([(0, FORKED_COPY)], "<s>", [Call("k1", "f", "f", (np.ones(2),)),
                                                  Call("k2", "g", "g", (np.ones(2),))],
                      sandbox.Policy(timeout_s=5))
    assert run.results["k1"].error is None and run.results["k2"].error is None
    np.testing.assert_array_equal(run.results["k1"].outputs[0], [2.0, 2.0])
    np.testing.assert_array_equal(run.results["k2"].outputs[0], [2.0, 2.0])


FORGED_STDOUT = ("import sys\n"
                 "def f(x):\n"
                 "    frame = sys._getframe(1)              # run_submission's own frame\n"
                 "    meta = dict(frame.f_locals['meta'], stdout='A' * 50_000)\n"
                 "    frame.f_locals['send'](frame.f_globals['message'](b'C', meta, [x * 3]))\n"
                 "    return x\n")


def test_a_forged_answer_cannot_bring_back_more_text_than_a_call_may_print():
    """The student's code can reach the child's own sender and forge its call's answer: that
    answer is still only arrays it could have returned, and the parent bounds its text again."""
    from autograder.sandbox_worker import MAX_CALL_TEXT
    run = sandbox.run([(0, FORGED_STDOUT)], "<s>", [Call("k", "f", "f", (np.ones(2),))],
                      sandbox.Policy(timeout_s=5))
    result = run.results["k"]
    assert len(result.stdout) <= MAX_CALL_TEXT and set(result.stdout) <= {"A"}
    np.testing.assert_array_equal(result.outputs[0], [3.0, 3.0])


# ---------------------------------------------------------------- the sandbox's own failures

SLOW_ANSWER = "import time\ndef f(x):\n    time.sleep(0.6)\n    return x * 2\n"


def _busy_workers():
    return [w for w in sandbox._everyone if w not in sum(sandbox._idle.values(), [])]


def test_a_dead_fork_server_is_restarted_and_the_submission_graded_again():
    """Killing the whole sandbox mid-call is an infrastructure failure: the submission runs
    again in a fresh sandbox and gets its real answer, not an error."""
    import threading
    import time as clock
    policy = sandbox.Policy(timeout_s=5)
    sandbox.run([(0, "pass")], "<warm>", [], policy)
    killed = []

    def kill_soon():
        clock.sleep(0.3)
        for w in _busy_workers():
            os.killpg(w.proc.pid, 9)
            killed.append(w.proc.pid)

    threading.Thread(target=kill_soon).start()
    run = sandbox.run([(0, SLOW_ANSWER)], "<s>", [Call("k", "f", "f", (np.ones(2),))], policy)
    assert killed, "the test did not kill the worker"
    assert run.results["k"].error is None
    np.testing.assert_array_equal(run.results["k"].outputs[0], [2.0, 2.0])


def test_a_student_exit_code_is_not_taken_for_an_infrastructure_failure():
    """The jail's own set-up errors use exit codes 70-72; a student exiting with them is
    still the student's result (no endless retries)."""
    run = sandbox.run([(0, "import os\ndef f():\n    os._exit(71)\n")], "<s>",
                      [Call("k", "f", "f", ())], sandbox.Policy(timeout_s=5))
    assert "exited (code 71)" in run.results["k"].error


def test_the_sandbox_runs_unprivileged_on_the_host():
    """uid 1000 inside; on the host, never uid 0 (as root, bubblewrap runs as nobody)."""
    source = ("import os, time\ndef f():\n    time.sleep(0.8)\n"
              "    return np.array([os.getuid(), os.getgid(), os.getpid()])\n")
    import threading
    import time as clock
    policy = sandbox.Policy(timeout_s=5)
    sandbox.run([(0, "pass")], "<warm>", [], policy)
    seen = {}

    def look():
        clock.sleep(0.4)
        for pid in os.listdir("/proc"):
            try:
                text = open(f"/proc/{pid}/cmdline", "rb").read()
                status = open(f"/proc/{pid}/status").read()
            except OSError:
                continue
            if b"/sandbox/worker.py" in text:
                uid = int(next(ln for ln in status.splitlines() if ln.startswith("Uid:")).split()[1])
                seen[pid] = uid

    t = threading.Thread(target=look)
    t.start()
    run = sandbox.run([(0, "import numpy as np\n" + source)], "<s>", [Call("k", "f", "f", ())], policy)
    t.join()
    uid, gid, pid = run.results["k"].outputs[0]
    assert (uid, gid, pid) == (1000, 1000, 1)
    assert seen and all(u != 0 for u in seen.values()), seen
    if os.geteuid() == 0:
        assert set(seen.values()) == {65534}


def test_no_sandbox_is_refused_unless_unsafe_is_asked_for(tmp_path, conv, reference_source):
    """Fail closed: without bubblewrap, grading exits 2 with one line naming it; with
    --unsafe-no-sandbox it grades, and the JSON says the grade is unsafe."""
    import json
    import shutil
    import subprocess
    import sys
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("unshare", "setpriv", "mount", "ldd", "sh"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    student = tmp_path / "student.py"
    student.write_text(reference_source)
    env = {**os.environ, "PATH": str(bin_dir)}
    cmd = [sys.executable, "-m", "autograder.cli", "--lang", "en", "grade", str(student),
           "--assignment", "01_convolution", "--format", "json"]
    refused = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "bubblewrap" in lines[0] and "--unsafe-no-sandbox" in lines[0]
    unsafe = subprocess.run(cmd + ["--unsafe-no-sandbox"], env=env, capture_output=True,
                            text=True, timeout=300)
    assert unsafe.returncode == 0, unsafe.stderr
    graded = json.loads(unsafe.stdout)["submissions"][0]
    assert graded["score"] == 13 and graded["unsafe"] is True


def test_a_child_that_will_not_exit_after_its_answers_costs_the_next_one_nothing():
    """A submission that replaces os._exit lingers after its last answer: it is killed, and
    the next submission on the same worker is graded at once, by the same worker."""
    import time as clock
    policy = sandbox.Policy(timeout_s=5)
    lingering = ("import os, time\nos._exit = lambda code: time.sleep(600)\n"
                 "def f(x):\n    return x\n")
    first = sandbox.run([(0, lingering)], "<s>", [Call("k", "f", "f", (np.ones(1),))], policy)
    assert first.results["k"].outputs is not None
    workers = list(sandbox._everyone)
    start = clock.monotonic()
    second = sandbox.run([(0, "def f(x):\n    return x + 1\n")], "<s>",
                         [Call("k", "f", "f", (np.ones(1),))], policy)
    assert clock.monotonic() - start < 4
    assert second.results["k"].outputs[0].tolist() == [2.0]
    assert sandbox._everyone == workers          # no restart was needed
