"""05_cnn through the real grader (bubblewrap sandbox, torch oracle): the reference trains to
full marks and a typical wrong training (the step up the gradient) loses exactly `train`, named,
with the test accuracy it reached; a dict that lacks a key is one clear line in both languages;
training in the sandbox is deterministic (single-threaded BLAS, one seeded generator); the
accuracy threshold holds for the reference on fresh draws; an assignment's own time limit."""
from __future__ import annotations

import numpy as np
import pytest

from autograder import report, sandbox
from autograder.course import CourseError, load_course
from autograder.grading import grade_file
from autograder.problems import cnn

from tests.conftest import ROOT

SAMPLES = ROOT / "examples" / "mistakes" / "05_cnn"


@pytest.fixture(scope="module")
def assignment(course):
    return course.assignment("05_cnn")


@pytest.fixture(scope="module")
def graded(course, assignment, tmp_path_factory):
    """The reference, the lr-sign sample and a cnn_loss without db3, each graded once."""
    folder = tmp_path_factory.mktemp("cnn")
    reference = assignment.reference.read_text(encoding="utf-8")
    files = {"reference": assignment.reference}
    for name, extra in [("lr_sign", (SAMPLES / "train_lr_sign_flipped.py").read_text()),
                        ("missing_key", "\n_full = cnn_loss\n\ndef cnn_loss(x, y, params):\n"
                                        "    loss, grads = _full(x, y, params)\n"
                                        "    del grads['b3']\n    return loss, grads\n")]:
        files[name] = folder / f"{name}.py"
        files[name].write_text(reference + "\n" + extra, encoding="utf-8")
    return {name: grade_file(course, assignment, path) for name, path in files.items()}


def _problem(result, name):
    return next(p for p in result.problems if p.problem == name)


def test_the_reference_trains_to_full_marks(graded):
    result = graded["reference"]
    assert result.passed, report.render_text([result])
    train = _problem(result, "train")
    assert (train.n_passed, train.n_checks) == (5, 5)          # 4 seeded runs + the full split


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_training_up_the_gradient_loses_train_only_and_is_named(graded, lang):
    result = graded["lr_sign"]
    assert [p.problem for p in result.problems if p.status != "pass"] == ["train"]
    train = _problem(result, "train")
    assert train.score == 0 and train.diagnosis == "lr_sign_flipped"
    below = [m for m in train.mismatches if m.kind == "below"]
    assert len(below) == 1 and below[0].max_abs < 0.5 and below[0].max_rel == cnn.ACCURACY
    text = "\n".join(report.feedback_lines(train, lang))
    assert report.diagnosis_text("train", "lr_sign_flipped", lang) in text
    line = report.mismatch_line(below[0], "train", lang)
    assert f"{below[0].max_abs:.1%}" in line and f"{cnn.ACCURACY:.1%}" in line


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_dict_without_a_key_is_one_clear_line(graded, lang):
    result = graded["missing_key"]
    loss = _problem(result, "cnn_loss")
    assert loss.status == "error" and loss.score == 0
    line = report.feedback_lines(loss, lang)[0]
    assert "b3" in line and ("dict without the key(s) b3" in line if lang == "en"
                             else "딕셔너리(dict)" in line)
    assert _problem(result, "train").status != "pass"        # train uses the same cnn_loss


def test_training_in_the_sandbox_is_deterministic(course, assignment):
    """The full-split run twice in the sandbox: the same loss history and weights, bit for bit."""
    case = cnn.TRAIN.sample_cases(5, hidden=True)[-1]
    source = assignment.reference.read_text(encoding="utf-8")
    call = sandbox.Call("k", "train", "train", case.args, len(cnn.TRAIN.outputs), cnn.TRAIN.returns)
    runs = [sandbox.run([(0, source)], "<cnn.py>", [call], course.policy_for(assignment))
            for _ in range(2)]
    first, second = (r.results["k"].outputs for r in runs)
    assert first is not None and len(first) == 7 and first[-1].shape == (450,)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert case.judge(first)[0] >= cnn.ACCURACY


def test_dict_arguments_arrive_as_dicts_and_labels_as_integers(course):
    source = ("import numpy as np\n"
              "def f(x, y, params):\n"
              "    assert isinstance(params, dict) and list(params) == ['W1', 'b1']\n"
              "    assert y.dtype.kind == 'i' and params['W1'].dtype == np.float32\n"
              "    return {'b': params['b1'] + y.sum(), 'a': x * 2}, params['W1']\n")
    args = (np.ones((2, 3)), np.array([1, 2]),
            {"W1": np.full((2, 2), 0.5, dtype=np.float32), "b1": np.zeros(3, dtype=np.float32)})
    run = sandbox.run([(0, source)], "<f.py>", [sandbox.Call("k", "f", "f", args, 3, (("a", "b"), None))],
                      course.policy)
    a, b, w = run.results["k"].outputs
    np.testing.assert_array_equal(a, 2 * np.ones((2, 3)))
    np.testing.assert_array_equal(b, [3, 3, 3])
    np.testing.assert_array_equal(w, np.full((2, 2), 0.5))


def test_the_threshold_holds_for_the_reference_on_fresh_draws():
    """Three more full runs in this process (new initial weights and shuffling seeds): each
    passes the judge; the benchmark measures forty (benchmarks/results/bench_cnn.txt)."""
    import reference.cnn as ref
    for seed in (11, 12, 13):
        case = cnn.TRAIN.sample_cases(seed, hidden=True)[-1]
        params, _ = ref.train(*case.args)
        measured, required = case.judge([params[k] for k in cnn.KEYS])
        assert measured >= required, (seed, measured)


def test_an_assignment_may_raise_its_time_limit(course, tmp_path):
    assert course.assignment("05_cnn").timeout_s == 30
    assert course.policy_for(course.assignment("05_cnn")).timeout_s == 30
    assert course.policy_for(course.assignment("01_convolution")).timeout_s == course.timeout_s
    text = (ROOT / "course.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "course.yaml"
    for wrong, message in [("timeout_s: 30 ", "assignments[4].limits.timeout_s: must be a positive "
                                              "number, got -1"),
                           ("timeout_s: 30 ", "assignments[4].limits.memory_mb: unknown key")]:
        replacement = "timeout_s: -1 " if "positive" in message else "memory_mb: 30 "
        bad.write_text(text.replace(wrong, replacement), encoding="utf-8")
        with pytest.raises(CourseError) as e:
            load_course(bad)
        assert message in str(e.value)


def test_what_a_dict_returning_function_may_return():
    """The sandbox's rule (check() applies the same): the dict's arrays in Problem.returns' key
    order, extra keys ignored; a list, a missing key or a dict that raises on access is one
    reason, never an exception."""
    from autograder.sandbox_worker import as_arrays

    class Hostile(dict):
        def __contains__(self, key):
            raise RuntimeError("no")
    grads = {k: np.full(2, i) for i, k in enumerate(reversed(cnn.KEYS))} | {"extra": np.ones(1)}
    arrays, why = as_arrays((1.5, grads), len(cnn.CNN_LOSS.outputs), cnn.CNN_LOSS.returns)
    assert why is None and [float(a.flat[0]) for a in arrays] == [1.5, 5, 4, 3, 2, 1, 0]
    for value, reason in [((1.5, list(grads.values())), "returned list where a dict with the keys "
                                                         "W1 b1 W2 b2 W3 b3 is expected"),
                          ((1.5, {"W1": 1}), "returned a dict without the key(s) b1 W2 b2 W3 b3"),
                          ((1.5, Hostile()), "returned a dict that cannot be read (RuntimeError)"),
                          (grads, "returned dict, expected a tuple of 2 values")]:
        assert as_arrays(value, 7, cnn.CNN_LOSS.returns) == (None, reason)


def test_the_notebook_runs_in_a_real_kernel_with_every_self_check_passing(course, assignment):
    """The instructor's notebook (solutions in, the given layers' cell first) in a Jupyter
    kernel: every check() and graded cell reports all public checks passed, train included
    (its public cases train on the digits in the kernel)."""
    import nbformat
    from nbclient import NotebookClient
    from autograder import authoring
    nb = authoring.build_notebook(course, assignment, "en")
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    given = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "given_05_cnn"]
    assert len(given) == 1 and not given[0].metadata["nbgrader"]["solution"]
    firsts = [next(iter("".join(o.get("text", "") for o in c.outputs).splitlines()), "")
              for c in nb.cells if c.cell_type == "code" and c.source.startswith("check(")]
    from autograder.i18n import t
    assert firsts == [t("check.ok", course.language, problem=gp.name,
                        n=len(gp.problem.sample_cases(course.public_seed, hidden=False)))
                      for gp in assignment.problems]
