"""03_rnn: what only this assignment has: the cases the bugs need, the oracle against torch.nn.RNN,
truncated BPTT's properties and finite differences. The generic checks (reference vs oracle,
misconceptions, sample mistakes, CUDA, lessons) are in test_registry.py."""
import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

import reference.rnn as ref
from autograder.problems import rnn
from autograder.problems.rnn import PROBLEMS, torch_rnn_oracle

SEED = 20240603
BY_NAME = {p.name: p for p in PROBLEMS}


def _tuple(out):
    return out if isinstance(out, tuple) else (out,)


def _torch(args, dtype=torch.float64, device="cpu"):
    return [torch.as_tensor(a, dtype=dtype, device=device) if isinstance(a, np.ndarray) else a
            for a in args]


def _numpy(out):
    return tuple(t.detach().cpu().numpy() for t in _tuple(out))


def _hidden(problem):
    return problem.sample_cases(SEED, hidden=True)


def _call_oracle(fn, case, dtype=torch.float64, device="cpu"):
    return _numpy(fn(*_torch(case.args, dtype, device)))


def test_cases_cover_what_the_bugs_need():
    seq = [c.args for c in _hidden(BY_NAME["rnn_forward"])]
    assert any(x.shape[0] >= 2 and x.shape[1] >= 2 and x.shape[2] != h0.shape[1]
               for x, h0, *_ in seq)
    rows = [(c.args[1].shape[1], c.args[-1]) for c in _hidden(BY_NAME["rnn_backward_truncated"])]
    assert any(T == 1 for T, k in rows)
    assert any(k < T and T % k for T, k in rows)
    assert any(1 < k < T for T, k in rows)
    assert any(k == T > 1 for T, k in rows) and any(k > T > 1 for T, k in rows)


# ---------------------------------------------------------------- (a) oracle == torch.nn.RNN
def test_oracle_forward_matches_torch_nn_rnn():
    for case in _hidden(BY_NAME["rnn_forward"]):
        assert_allclose(_call_oracle(torch_rnn_oracle, case)[0],
                        _call_oracle(BY_NAME["rnn_forward"].oracle, case)[0], rtol=1e-12, atol=1e-14)


def test_oracle_gradients_match_torch_nn_rnn():
    for case in _hidden(BY_NAME["rnn_backward"]):
        dh, *inputs = _torch(case.args)
        expected = _numpy(rnn._grad_of(torch_rnn_oracle, inputs, dh))
        for a, e in zip(_call_oracle(BY_NAME["rnn_backward"].oracle, case), expected):
            assert_allclose(a, e, rtol=1e-10, atol=1e-12, err_msg=case.name)


# ---------------------------------------------------------------- (b) k >= T is full BPTT
def test_truncation_with_k_at_least_T_is_full_bptt():
    full, trunc = BY_NAME["rnn_backward"], BY_NAME["rnn_backward_truncated"]
    for case in _hidden(full):
        T = case.args[1].shape[1]
        expected = ref.rnn_backward(*case.args)
        oracle_full = _call_oracle(full.oracle, case)
        for k in (T, T + 2):
            args = case.args + (k,)
            for a, e in zip(ref.rnn_backward_truncated(*args), expected):
                assert_allclose(a, e, rtol=1e-13, atol=1e-15, err_msg=f"{case.name} k={k}")
            for a, e in zip(_numpy(trunc.oracle(*_torch(args))), oracle_full):
                assert_allclose(a, e, rtol=1e-13, atol=1e-15, err_msg=f"{case.name} k={k}")


def test_truncation_cuts_the_gradient_to_h0():
    """With k < T, dh0 sees only the first chunk: changing dh after it leaves dh0 unchanged."""
    case = next(c for c in _hidden(BY_NAME["rnn_backward_truncated"]) if c.args[-1] < c.args[1].shape[1])
    dh, *rest, k = case.args
    dh2 = dh.copy()
    dh2[:, k:] = 0.0
    assert_allclose(ref.rnn_backward_truncated(dh2, *rest, k)[1],
                    ref.rnn_backward_truncated(dh, *rest, k)[1], rtol=0, atol=0)


# ---------------------------------------------------------------- (c) finite differences
def _numeric_grads(loss, inputs, eps=1e-6):
    grads = []
    for i, a in enumerate(inputs):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [v.copy() for v in inputs]
            minus = [v.copy() for v in inputs]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            g[idx] = (loss(*plus) - loss(*minus)) / (2 * eps)
        grads.append(g)
    return grads


def _first_cases(problem, n=3):
    return _hidden(problem)[:n]


def _assert_grads(analytic, numeric, name):
    for label, a, n in zip(("dx", "dh", "dWx", "dWh", "db"), analytic, numeric):
        assert_allclose(a, n, rtol=1e-6, atol=1e-8, err_msg=f"{name}: {label}")


def test_step_backward_finite_differences():
    for case in _first_cases(BY_NAME["rnn_step_backward"]):
        dh_next, *inputs = case.args
        numeric = _numeric_grads(lambda *p: np.sum(dh_next * ref.rnn_step_forward(*p)), inputs)
        _assert_grads(ref.rnn_step_backward(*case.args), numeric, case.name)


def test_bptt_finite_differences():
    for case in _first_cases(BY_NAME["rnn_backward"]):
        dh, *inputs = case.args
        numeric = _numeric_grads(lambda *p: np.sum(dh * ref.rnn_forward(*p)), inputs)
        _assert_grads(ref.rnn_backward(*case.args), numeric, case.name)


def _forward_frozen(x, h0, Wx, Wh, b, k, frozen):
    """The forward pass with the state entering each chunk start t = k, 2k, ... held constant
    at `frozen` (the unperturbed states): its gradient is the truncated BPTT gradient."""
    h_prev, hs = h0, []
    for t in range(x.shape[1]):
        if t > 0 and t % k == 0:
            h_prev = frozen[:, t - 1]
        h_prev = ref.rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        hs.append(h_prev)
    return np.stack(hs, axis=1)


def test_truncated_bptt_finite_differences():
    cases = [c for c in _hidden(BY_NAME["rnn_backward_truncated"]) if c.args[-1] < c.args[1].shape[1]]
    for case in cases[:3]:
        dh, *inputs, k = case.args
        frozen = ref.rnn_forward(*inputs)
        numeric = _numeric_grads(lambda *p: np.sum(dh * _forward_frozen(*p, k, frozen)), inputs)
        _assert_grads(ref.rnn_backward_truncated(*case.args), numeric, case.name)


# ---------------------------------------------------------------- (d) CUDA
@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_torch_nn_rnn_matches_the_cpu_oracle():
    for case in _hidden(BY_NAME["rnn_forward"]):
        assert_allclose(_call_oracle(torch_rnn_oracle, case, device="cuda")[0],
                        _call_oracle(BY_NAME["rnn_forward"].oracle, case)[0], rtol=1e-10, atol=1e-12)
