"""The course secret and per-submission hidden cases (real grader, real torch oracle).

Hidden cases are seeded by HMAC(course secret, digest of the graded code, problem): the same
file always meets the same inputs and gets the same grade; any change meets new inputs; so a
submission that leaks its inputs through the feedback cannot be followed by a lookup table.
"""
from __future__ import annotations

import importlib
import os
import re
import stat
import subprocess
from pathlib import Path

import numpy as np
import pytest

from autograder import cluster, grading
from autograder.batch import from_record
from autograder.cli import main
from autograder.grading import grade_file, hidden_cases
from autograder.report import feedback_lines
from autograder.secret import (ENV, ENV_FILE, FILE_NAME, SecretError, hidden_seed, load_secret,
                               secret_file, submission_digest)
from tests.conftest import ROOT

# zero_pad's hidden cases are all random draws (no fixed lecture example): every input
# changes with the seed. The leak: the first call's x, exactly, in the error the student reads.
LEAKER = '''
def zero_pad(x, P):
    raise ValueError("LEAK " + np.ascontiguousarray(x, dtype=np.float64).tobytes().hex()
                     + f" P={P} shape={x.shape}")
'''
LEAKED = re.compile(r"LEAK ([0-9a-f]+) P=(\d+) shape=\(([\d, ]+)\)")

# The replay: the reference's outputs for the leaked inputs, looked up by the input's bits
# (float32, so that the float32 calls of the same case hit as well).
LOOKUP = '''
_TABLE = {TABLE!r}
def zero_pad(x, P):
    key = np.asarray(x).astype(np.float32).tobytes().hex()
    if key not in _TABLE:
        raise KeyError("not in the table")
    data, shape = _TABLE[key]
    return np.frombuffer(bytes.fromhex(data), dtype=np.float64).reshape(shape).astype(x.dtype)
'''


@pytest.fixture
def no_secret_env(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.delenv(ENV_FILE, raising=False)


def _by_name(result):
    return {p.problem: p for p in result.problems}


def _leak(result):
    """(x, P) as the student reads them in zero_pad's feedback."""
    text = "\n".join(feedback_lines(_by_name(result)["zero_pad"], "en"))
    data, P, shape = LEAKED.search(text).groups()
    x = np.frombuffer(bytes.fromhex(data), dtype=np.float64)
    return x.reshape(tuple(int(n) for n in shape.split(",") if n.strip())), int(P)


def _inputs(course, conv, result, problem):
    """The hidden inputs the grader drew for `result`'s submission."""
    cases = hidden_cases(conv, load_secret(course.root), result.digest)[problem]
    return [np.concatenate([np.ravel(a) for a in c.args if isinstance(a, np.ndarray)])
            for c in cases.cases]


# ---------------------------------------------------------------- the seed
def test_the_seed_is_128_bits_and_depends_on_secret_digest_and_problem():
    secret = bytes(range(32))
    seed = hidden_seed(secret, "d" * 64, "zero_pad")
    assert seed == hidden_seed(secret, "d" * 64, "zero_pad") and 64 < seed.bit_length() <= 128
    assert len({seed, hidden_seed(secret, "e" * 64, "zero_pad"),
                hidden_seed(secret, "d" * 64, "conv_forward"),
                hidden_seed(bytes(32), "d" * 64, "zero_pad")}) == 4


def test_the_digest_is_of_the_code_graded():
    cells = ((0, "x = 1\n"), (3, "y = 2\n"))
    assert submission_digest(cells) == submission_digest(list(cells))
    assert submission_digest(cells) != submission_digest(((0, "x = 1 \n"), (3, "y = 2\n")))
    assert submission_digest(cells) != submission_digest(((1, "x = 1\n"), (3, "y = 2\n")))


# ---------------------------------------------------------------- same file, same cases
def test_same_file_same_inputs_and_grade_one_character_new_inputs(course, conv, reference_source,
                                                                   student_file):
    first = grade_file(course, conv, student_file("a.py", reference_source + LEAKER))
    again = grade_file(course, conv, student_file("b.py", reference_source + LEAKER))
    assert first.digest == again.digest
    assert (first.score, _by_name(first)["zero_pad"].mismatches) == \
        (again.score, _by_name(again)["zero_pad"].mismatches)
    assert np.array_equal(_leak(first)[0], _leak(again)[0])
    assert all(np.array_equal(a, b) for a, b in zip(_inputs(course, conv, first, "conv_forward"),
                                                     _inputs(course, conv, again, "conv_forward")))

    changed = grade_file(course, conv, student_file("c.py", reference_source + LEAKER + " "))
    assert changed.digest != first.digest and changed.score == first.score
    assert not np.array_equal(_leak(changed)[0], _leak(first)[0])
    assert not any(np.array_equal(a, b)
                   for a, b in zip(_inputs(course, conv, changed, "conv_forward"),
                                   _inputs(course, conv, first, "conv_forward")))


# ---------------------------------------------------------------- the replay attack
def test_leaked_inputs_are_no_use_to_the_next_submission(course, conv, reference_source,
                                                         student_file, monkeypatch):
    leaker = grade_file(course, conv, student_file("leak.py", reference_source + LEAKER))
    x, P = _leak(leaker)
    reference = importlib.import_module("reference.convolution")
    out = np.asarray(reference.zero_pad(x, P), dtype=np.float64)
    table = {x.astype(np.float32).tobytes().hex(): (out.tobytes().hex(), out.shape)}
    lookup = student_file("lookup.py", reference_source + LOOKUP.replace("{TABLE!r}", repr(table)))

    # were the cases still those of the leaking submission, the table would score
    with monkeypatch.context() as m:
        m.setattr(grading, "submission_digest", lambda cells: leaker.digest)
        replayed = _by_name(grade_file(course, conv, lookup))["zero_pad"]
    assert replayed.n_passed >= 2 and replayed.score > 0

    # but the table's own code has its own digest, so its own, new inputs
    attempt = grade_file(course, conv, lookup)
    assert attempt.digest != leaker.digest
    zero_pad = _by_name(attempt)["zero_pad"]
    assert (zero_pad.score, zero_pad.n_passed) == (0.0, 0), feedback_lines(zero_pad, "en")
    assert attempt.score == leaker.score == conv.max_score - conv.problem("zero_pad").points


# ---------------------------------------------------------------- where the secret lives
def test_autograder_secret_writes_256_bits_once(tmp_path, capsys, no_secret_env):
    # a course.yaml of before the secret: `autograder secret` is how it moves on
    course_file = tmp_path / "course.yaml"
    course_file.write_text((ROOT / "course.yaml").read_text().replace(
        "seeds:\n", "seeds:\n  hidden: 4172\n"), encoding="utf-8")
    assert main(["--course", str(course_file), "validate"]) == 2
    assert "seeds.hidden: the hidden seed was replaced" in capsys.readouterr().err
    assert main(["--course", str(course_file), "secret"]) == 0
    path = tmp_path / FILE_NAME
    assert str(path) in capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert re.fullmatch(r"[0-9a-f]{64}\n", text)
    assert load_secret(tmp_path) == bytes.fromhex(text) and len(bytes.fromhex(text)) * 8 >= 128
    assert text.strip() not in course_file.read_text()

    assert main(["--course", str(course_file), "secret"]) == 2        # never overwritten...
    err = capsys.readouterr().err.strip()
    assert str(path) in err and "--force" in err and "\n" not in err
    assert path.read_text() == text
    assert main(["--course", str(course_file), "secret", "--force"]) == 0   # ...unless asked
    assert path.read_text() != text and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_environment_comes_first(tmp_path, monkeypatch, no_secret_env):
    (tmp_path / FILE_NAME).write_text("ab" * 32)
    assert load_secret(tmp_path) == bytes.fromhex("ab" * 32)
    monkeypatch.setenv(ENV_FILE, str(tmp_path / "elsewhere"))
    assert secret_file(tmp_path) == tmp_path / "elsewhere"
    with pytest.raises(SecretError, match="elsewhere: no course secret"):
        load_secret(tmp_path)
    assert load_secret(tmp_path, create=True) == load_secret(tmp_path) != bytes.fromhex("ab" * 32)
    monkeypatch.setenv(ENV, "cd" * 16)
    assert load_secret(tmp_path) == bytes.fromhex("cd" * 16)


@pytest.mark.parametrize("env, value", [(ENV_FILE, "not hex at all"), (ENV_FILE, "ab" * 15),
                                        (ENV, "xyz" * 20), (ENV, "ab" * 15)])
def test_a_malformed_secret_exits_2_naming_it(env, value, tmp_path, monkeypatch, capsys,
                                               reference_source, no_secret_env):
    if env == ENV_FILE:
        (tmp_path / "secret").write_text(value)
        monkeypatch.setenv(ENV_FILE, str(tmp_path / "secret"))
        source = str(tmp_path / "secret")
    else:
        monkeypatch.setenv(ENV, value)
        source = f"${ENV}"
    (tmp_path / "a.py").write_text(reference_source)
    assert main(["--course", str(ROOT / "course.yaml"), "grade", str(tmp_path / "a.py"),
                 "--assignment", "01_convolution"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and source in err and "malformed course secret" in err


def test_secret_refuses_while_the_environment_holds_one(monkeypatch, capsys):
    monkeypatch.setenv(ENV, "ab" * 32)
    assert main(["secret"]) == 2
    assert f"${ENV} is set" in capsys.readouterr().err


def test_the_secret_is_never_committed_or_released(course, released):
    secret = load_secret(course.root, create=True)
    path = secret_file(course.root)
    ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT)
    assert ignored.returncode == 0
    assert secret.hex() not in (ROOT / "course.yaml").read_text()
    dest, _ = released
    for folder, _, files in os.walk(dest):
        for name in files:
            assert name != FILE_NAME
            assert secret.hex().encode() not in Path(folder, name).read_bytes(), name


# ---------------------------------------------------------------- the cluster worker
def test_a_worker_draws_the_same_cases_and_never_makes_a_secret(course, conv, reference_source,
                                                                student_file, monkeypatch):
    path = student_file("w.py", reference_source + LEAKER)
    local = grade_file(course, conv, path)
    record = cluster.grade_bytes(str(course.root / "course.yaml"), conv.id, path.name,
                                 path.read_bytes(), str(path))
    remote = from_record(record)
    assert (remote.digest, remote.score) == (local.digest, local.score)
    assert _by_name(remote)["zero_pad"].mismatches == _by_name(local)["zero_pad"].mismatches

    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setenv(ENV_FILE, str(path.parent / "missing"))
    with pytest.raises(SecretError, match="no course secret"):
        cluster.grade_bytes(str(course.root / "course.yaml"), conv.id, path.name,
                            path.read_bytes(), str(path))
    assert not (path.parent / "missing").exists()
