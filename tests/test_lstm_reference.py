"""04_lstm: the reference against the oracles, the weight remapping, finite differences, the
misconceptions and the bundled mistakes."""
import ast
import functools
import pathlib

import numpy as np
import pytest
import torch

import reference.lstm as ref
from autograder.problems import lstm
from autograder.problems.lstm import PROBLEMS, from_torch_lstm_weights, to_torch_lstm_weights

SEED = 0
ROOT = pathlib.Path(__file__).resolve().parents[1]
MISTAKES = sorted((ROOT / "examples" / "mistakes" / "04_lstm").glob("*.py"))
BY_NAME = {p.name: p for p in PROBLEMS}
CASES = {p.name: p.sample_cases(SEED, hidden=True) for p in PROBLEMS}


def _tuple(out):
    return out if isinstance(out, tuple) else (out,)


def _torch(args, dtype=None, device="cpu"):
    return tuple(torch.from_numpy(a).to(device=device, dtype=dtype or torch.float64)
                 if isinstance(a, np.ndarray) else a for a in args)


def _numpy(out):
    return tuple(t.detach().cpu().numpy() for t in _tuple(out))


@functools.cache
def expected(name, k):
    """The float64 oracle's outputs on hidden case k of problem `name` (computed once)."""
    return _numpy(BY_NAME[name].oracle(*_torch(CASES[name][k].args)))


def _close(got, want, tol):
    """Every output has the expected shape and |got - want| <= atol + rtol * |want|."""
    return all(np.shape(g) == w.shape and
               np.all(np.abs(np.asarray(g) - w) <= tol.atol + tol.rtol * np.abs(w))
               for g, w in zip(_tuple(got), want))


def _cases(problem):
    return list(enumerate(CASES[problem.name]))


# ---------------------------------------------------------------- the registry
def test_problems_in_notebook_order():
    assert [p.name for p in PROBLEMS] == [
        "forget_gate", "input_gate", "candidate_cell", "output_gate", "lstm_step_forward",
        "lstm_step_backward", "lstm_forward", "lstm_backward"]
    assert {p.assignment for p in PROBLEMS} == {"04_lstm"}


def test_cases_cover_what_a_bug_needs():
    for p in PROBLEMS:
        public = p.sample_cases(SEED, hidden=False)
        assert 1 <= len(public) < len(CASES[p.name]), p.name
        shapes = [c.args[0].shape for c in CASES[p.name]]
        assert any(s[0] >= 2 for s in shapes), p.name                       # N >= 2
    for c in CASES["lstm_forward"]:
        assert c.args[0].ndim == 3
    assert any(c.args[0].shape[1] >= 2 and c.args[0].shape[2] != c.args[1].shape[1]
               for c in CASES["lstm_forward"])                              # T >= 2, D != H
    assert any(np.abs(c.args[4]).min() > 0 for c in CASES["lstm_step_backward"])  # c_prev != 0


# ---------------------------------------------------------------- (a) reference == oracle
@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_reference_matches_oracle_float64(problem):
    for k, case in _cases(problem):
        got = _tuple(getattr(ref, problem.name)(*case.args))
        want = expected(problem.name, k)
        assert len(got) == len(want) == len(problem.outputs)
        for name, g, w in zip(problem.outputs, got, want):
            assert g.shape == w.shape, (case.name, name)
            np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=f"{case.name} {name}")


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_reference_matches_oracle_float32(problem):
    for case in CASES[problem.name]:
        args32 = tuple(a.astype(np.float32) for a in case.args)
        got = _tuple(getattr(ref, problem.name)(*args32))
        want = _numpy(problem.oracle(*_torch(args32, torch.float32)))
        for name, g, w in zip(problem.outputs, got, want):
            assert g.dtype == w.dtype == np.float32, (case.name, name)
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5, err_msg=f"{case.name} {name}")


# ---------------------------------------------------------------- (b) the weight remapping
def test_remapping_round_trip():
    H, D = 3, 5
    gen = torch.Generator().manual_seed(1)
    W = torch.randn(4 * H, H + D, generator=gen, dtype=torch.float64)
    b = torch.randn(4 * H, generator=gen, dtype=torch.float64)
    w_ih, w_hh, b_ih, b_hh = to_torch_lstm_weights(W, b, H, D)
    assert (w_ih.shape, w_hh.shape, b_ih.shape) == ((4 * H, D), (4 * H, H), (4 * H,))
    assert torch.equal(b_hh, torch.zeros(4 * H, dtype=torch.float64))
    W2, b2 = from_torch_lstm_weights(w_ih, w_hh, b_ih + b_hh, H)
    assert torch.equal(W2, W) and torch.equal(b2, b)


def test_remapping_puts_each_block_where_torch_expects_it():
    H, D = 2, 3
    lecture = {"f": 0, "i": 1, "g": 2, "o": 3}
    W = torch.empty(4 * H, H + D, dtype=torch.float64)
    b = torch.empty(4 * H, dtype=torch.float64)
    for gate, k in lecture.items():                   # h-columns 10k + 1, x-columns 10k + 2
        W[k * H:(k + 1) * H, :H] = 10 * k + 1
        W[k * H:(k + 1) * H, H:] = 10 * k + 2
        b[k * H:(k + 1) * H] = 10 * k + 3
    w_ih, w_hh, b_ih, _ = to_torch_lstm_weights(W, b, H, D)
    for j, gate in enumerate("ifgo"):                 # torch's order
        k = lecture[gate]
        rows = slice(j * H, (j + 1) * H)
        assert torch.all(w_hh[rows] == 10 * k + 1), gate
        assert torch.all(w_ih[rows] == 10 * k + 2), gate
        assert torch.all(b_ih[rows] == 10 * k + 3), gate


def test_lstm_cell_with_remapped_weights_computes_the_lecture_formulas():
    case = CASES["lstm_step_forward"][1]
    x, h, c, W, b = _torch(case.args)
    H = h.shape[1]
    a = torch.cat([h, x], 1) @ W.T + b
    f, i, o = (torch.sigmoid(a[:, k * H:(k + 1) * H]) for k in (0, 1, 3))
    g = torch.tanh(a[:, 2 * H:3 * H])
    c_next = f * c + i * g
    h_next, c_oracle = lstm.step_forward_oracle(x, h, c, W, b)
    torch.testing.assert_close(c_oracle, c_next, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(h_next, o * torch.tanh(c_next), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- (c) finite differences
def _numeric_grads(loss, arrays, eps=1e-6):
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            up = loss()
            a[idx] = old - eps
            down = loss()
            a[idx] = old
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


def _assert_grads(analytic, numeric, names, case):
    for name, a, n in zip(names, analytic, numeric):
        np.testing.assert_allclose(a, n, rtol=1e-6, atol=1e-8, err_msg=f"{case} {name}")


@pytest.mark.parametrize("k", range(len(CASES["lstm_step_backward"])))
def test_step_backward_matches_finite_differences(k):
    case = CASES["lstm_step_backward"][k]
    dh, dc, *inputs = (a.copy() for a in case.args)

    def loss():
        h, c = ref.lstm_step_forward(*inputs)
        return np.sum(h * dh) + np.sum(c * dc)
    _assert_grads(ref.lstm_step_backward(dh, dc, *inputs), _numeric_grads(loss, inputs),
                  BY_NAME["lstm_step_backward"].outputs, case.name)


@pytest.mark.parametrize("k", range(len(CASES["lstm_backward"])))
def test_lstm_backward_matches_finite_differences(k):
    case = CASES["lstm_backward"][k]
    dh, *inputs = (a.copy() for a in case.args)
    loss = lambda: np.sum(ref.lstm_forward(*inputs) * dh)
    _assert_grads(ref.lstm_backward(dh, *inputs), _numeric_grads(loss, inputs),
                  BY_NAME["lstm_backward"].outputs, case.name)


# ---------------------------------------------------------------- (d) misconceptions
MISCONCEPTIONS = [(p, m) for p in PROBLEMS for m in p.misconceptions]


def test_required_misconceptions_are_declared():
    names = lambda problem: {m.name for m in BY_NAME[problem].misconceptions}
    for problem in ("lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward"):
        assert {"gate_order_swapped", "sigmoid_tanh_swapped", "forget_gate_ignored",
                "h_without_tanh"} <= names(problem), problem
    for problem in ("lstm_step_backward", "lstm_backward"):
        assert "dc_prev_missing_forget" in names(problem)
    for problem in ("forget_gate", "input_gate", "candidate_cell", "output_gate"):
        assert {"sigmoid_tanh_swapped", "concat_order_swapped"} <= names(problem), problem
    for p, m in MISCONCEPTIONS:
        assert set(m.text) == {"en", "ko"} and all(m.text.values()), (p.name, m.name)


@pytest.mark.parametrize("problem,mis", MISCONCEPTIONS, ids=lambda v: v.name)
def test_mimic_differs_from_oracle(problem, mis):
    tol = problem.tolerance["float64"]
    outcomes = [_close(_numpy(mis.mimic(*_torch(case.args))), expected(problem.name, k), tol)
                for k, case in _cases(problem)]
    assert not all(outcomes), f"{mis.name} is indistinguishable from the oracle on {problem.name}"


# ---------------------------------------------------------------- (e) the bundled mistakes
REFERENCE_SOURCE = (ROOT / "reference" / "lstm.py").read_text()


def _literals(path):
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in ("BREAKS", "DIAGNOSIS"):
                found[target.id] = ast.literal_eval(node.value)
    return found["BREAKS"], found["DIAGNOSIS"]


def _submission(path):
    namespace = {"__name__": f"submission_{path.stem}"}
    exec(compile(REFERENCE_SOURCE + "\n\n" + path.read_text(), str(path), "exec"), namespace)
    return namespace


def test_every_misconception_has_a_mistake_file():
    diagnoses = {_literals(path)[1] for path in MISTAKES}
    assert {m.name for _, m in MISCONCEPTIONS} <= diagnoses
    assert None in diagnoses and "sigmoid_tanh_swapped" in diagnoses


@pytest.mark.parametrize("path", MISTAKES, ids=lambda p: p.stem)
def test_mistake_breaks_exactly_its_problems(path):
    breaks, diagnosis = _literals(path)
    assert path.stem == ("unknown_bug" if diagnosis is None else f"{breaks[0]}_{diagnosis}")
    submission = _submission(path)
    broken = set()
    for problem in PROBLEMS:
        tol = problem.tolerance["float64"]
        got = [_tuple(submission[problem.name](*case.args)) for case in CASES[problem.name]]
        if not all(_close(g, expected(problem.name, k), tol) for k, g in enumerate(got)):
            broken.add(problem.name)
        if problem.name not in breaks:
            continue
        mimics = {m.name: m.mimic for m in problem.misconceptions}
        if diagnosis is None:                          # no rule may claim it
            for name, mimic in mimics.items():
                assert not all(_close(g, _numpy(mimic(*_torch(case.args))), tol)
                               for g, case in zip(got, CASES[problem.name])), name
            continue
        assert diagnosis in mimics, f"{problem.name} declares no {diagnosis}"
        for g, case in zip(got, CASES[problem.name]):
            for name, a, m in zip(problem.outputs, g, _numpy(mimics[diagnosis](*_torch(case.args)))):
                np.testing.assert_allclose(a, m, rtol=1e-9, atol=1e-9,
                                           err_msg=f"{path.name}: {case.name} {name}")
    assert broken == set(breaks)


# ---------------------------------------------------------------- (f) CUDA
@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=str)
def test_cuda_oracle_matches_cpu(dtype):
    flags = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        tol = dict(rtol=1e-10, atol=1e-12) if dtype == torch.float64 else dict(rtol=1e-5, atol=1e-5)
        for p in PROBLEMS:
            for case in CASES[p.name]:
                cpu = _tuple(p.oracle(*_torch(case.args, dtype)))
                gpu = _tuple(p.oracle(*_torch(case.args, dtype, "cuda")))
                for name, c, g in zip(p.outputs, cpu, gpu):
                    assert g.device.type == "cuda" and g.dtype == dtype, (p.name, name)
                    torch.testing.assert_close(g.cpu(), c, **tol, msg=f"{p.name} {case.name} {name}")
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = flags


# ---------------------------------------------------------------- the lesson texts
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lesson_marks_every_problem_once_in_order(lang):
    text = (ROOT / "assignments" / "04_lstm" / f"lesson.{lang}.md").read_text(encoding="utf-8")
    markers = [line.strip()[len("<!-- problem: "):-len(" -->")] for line in text.splitlines()
               if line.strip().startswith("<!-- problem:")]
    assert markers == [p.name for p in PROBLEMS]
