"""04_lstm: what only this assignment has: the cases a bug needs, the weight remapping between the
lecture's layout and torch's, finite differences and the misconceptions the lecture requires.
The generic checks (reference vs oracle, misconceptions, sample mistakes, CUDA, lessons) are in
test_registry.py."""
import numpy as np
import pytest
import torch

import reference.lstm as ref
from autograder.problems import lstm
from autograder.problems.lstm import PROBLEMS, from_torch_lstm_weights, to_torch_lstm_weights

SEED = 0
BY_NAME = {p.name: p for p in PROBLEMS}
CASES = {p.name: p.sample_cases(SEED, hidden=True) for p in PROBLEMS}


def _torch(args, dtype=None, device="cpu"):
    return tuple(torch.from_numpy(a).to(device=device, dtype=dtype or torch.float64)
                 if isinstance(a, np.ndarray) else a for a in args)


def test_cases_cover_what_a_bug_needs():
    for p in PROBLEMS:
        shapes = [c.args[0].shape for c in CASES[p.name]]
        assert any(s[0] >= 2 for s in shapes), p.name                       # N >= 2
    for c in CASES["lstm_forward"]:
        assert c.args[0].ndim == 3
    assert any(c.args[0].shape[1] >= 2 and c.args[0].shape[2] != c.args[1].shape[1]
               for c in CASES["lstm_forward"])                              # T >= 2, D != H
    assert any(np.abs(c.args[4]).min() > 0 for c in CASES["lstm_step_backward"])  # c_prev != 0


# ---------------------------------------------------------------- (a) the weight remapping
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


# ---------------------------------------------------------------- (b) finite differences
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


# ---------------------------------------------------------------- (c) the misconceptions the lecture requires
def test_required_misconceptions_are_declared():
    names = lambda problem: {m.name for m in BY_NAME[problem].misconceptions}
    for problem in ("lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward"):
        assert {"gate_order_swapped", "sigmoid_tanh_swapped", "forget_gate_ignored",
                "h_without_tanh"} <= names(problem), problem
    for problem in ("lstm_step_backward", "lstm_backward"):
        assert "dc_prev_missing_forget" in names(problem)
    for problem in ("forget_gate", "input_gate", "candidate_cell", "output_gate"):
        assert {"sigmoid_tanh_swapped", "concat_order_swapped"} <= names(problem), problem

