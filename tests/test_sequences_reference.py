"""06_sequences: what only this assignment has: the cases the bugs need, the oracles against a
second PyTorch route (torch.nn.RNN, F.conv2d, the lecture's LSTM formulas, a hand-written
log-softmax), and finite differences for every backward pass. The generic checks (reference vs
oracle in float64 and float32, misconceptions, sample mistakes, CUDA, lessons) are in
test_registry.py."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from numpy.testing import assert_allclose

import reference.sequences as ref
from autograder.problems import rnn, sequences
from autograder.problems.sequences import PROBLEMS

SEED = 20240603
BY_NAME = {p.name: p for p in PROBLEMS}


def _hidden(name):
    return BY_NAME[name].sample_cases(SEED, hidden=True)


def _torch(args, device="cpu"):
    return [torch.as_tensor(a, device=device) if isinstance(a, np.ndarray) else
            [torch.as_tensor(v, device=device) for v in a] if isinstance(a, list) else a
            for a in args]


def _numpy(out):
    out = out if isinstance(out, (tuple, list)) else (out,)
    return tuple(t.detach().cpu().numpy() for t in out)


def _oracle(name, case, device="cpu"):
    return _numpy(BY_NAME[name].oracle(*_torch(case.args, device)))


# ---------------------------------------------------------------- the cases the bugs need
def test_sequence_cases_have_several_steps_and_sequences():
    for name in ("temporal_softmax_loss", "many_to_one", "many_to_one_backward", "gradient_norms"):
        shapes = [next(a for a in c.args if isinstance(a, np.ndarray) and a.ndim == 3).shape
                  for c in _hidden(name)]
        assert any(N >= 2 and T >= 3 for N, T, _ in shapes), name


def test_masks_cut_steps_in_the_middle_and_at_the_end():
    masks = [c.args[2] for c in _hidden("temporal_softmax_loss")]
    assert all(m.dtype == bool for m in masks)
    at_end = [m for m in masks if not m[:, -1].all() and m[:, -1].any()]
    assert at_end, "padding at the end of some sequences, not all"
    middle = [m for m in masks if any(not row[t] and row[t + 1:].any()
                                      for row in m for t in range(len(row)))]
    assert middle, "a masked step followed by a real one"
    assert any(m.all() for m in masks)                  # and a batch without padding
    assert any(np.abs(c.args[0]).max() > 700 for c in _hidden("temporal_softmax_loss"))


def test_tokens_repeat_and_windows_are_shorter_than_the_sentence():
    for case in _hidden("embed_backward"):
        demb, tokens, V = case.args
        assert tokens.dtype == np.int64 and tokens.max() < V
        assert len(np.unique(tokens)) < tokens.size, case.name          # a repeated token
    rows = [(c.args[0].shape[1], c.args[1].shape[1]) for c in _hidden("conv1d_over_time")]
    assert any(1 < k < L for L, k in rows) and any(k == L for L, k in rows)


def test_max_over_time_has_a_unique_argmax():
    for case in _hidden("max_over_time"):
        maps, = case.args
        top = np.sort(maps, axis=2)
        assert maps.shape[1] != maps.shape[2] or maps.shape[2] == 1
        if maps.shape[2] > 1:
            assert (top[..., -1] - top[..., -2]).min() > 1e-3, case.name


def test_clip_cases_where_per_array_and_global_clipping_differ():
    kinds = {c.name.rsplit("_", 1)[-1] for c in _hidden("clip_gradients")}
    assert {"clipped", "unchanged", "over"} <= kinds
    for case in _hidden("clip_gradients"):
        grads, max_norm = case.args
        norms = [np.linalg.norm(g) for g in grads]
        if case.name.endswith("each_under_total_over"):
            assert max(norms) < max_norm < np.sqrt(np.sum(np.square(norms)))


# ---------------------------------------------------------------- a second PyTorch route
def test_many_to_one_matches_torch_nn_rnn():
    for case in _hidden("many_to_one"):
        x, h0, Wx, Wh, b, Wy, by = _torch(case.args)
        expected = rnn.torch_rnn_oracle(x, h0, Wx, Wh, b)[:, -1] @ Wy + by
        assert_allclose(_oracle("many_to_one", case)[0], _numpy(expected)[0], rtol=1e-12, atol=1e-14)


def test_gradient_norms_match_torch_nn_rnn_restarted_from_each_state():
    """||dL/dh_t|| is the gradient w.r.t. the initial state of torch.nn.RNN run on the rest
    of the sequence from h_t: an independent route through torch's own RNN."""
    for case in _hidden("gradient_norms"):
        x, h0, Wx, Wh, b = _torch(case.args)
        h = rnn.torch_rnn_oracle(x, h0, Wx, Wh, b).detach()
        T = x.shape[1]
        expected = []
        for t in range(T):
            start = h[:, t].clone().requires_grad_(True)
            rest = rnn.torch_rnn_oracle(x[:, t + 1:], start, Wx, Wh, b) if t < T - 1 else start[:, None]
            grad, = torch.autograd.grad(rest[:, -1].sum(), start)
            expected.append(float(grad.norm()))
        assert_allclose(_oracle("gradient_norms", case)[0], expected, rtol=1e-10, err_msg=case.name)


def test_conv1d_over_time_matches_conv2d_over_the_embedding_image():
    for case in _hidden("conv1d_over_time"):
        emb, w, b = _torch(case.args)
        expected = F.conv2d(emb[:, None], w[:, None], b)[:, :, :, 0]       # (N, F, L - k + 1)
        assert_allclose(_oracle("conv1d_over_time", case)[0], _numpy(expected)[0], rtol=1e-12,
                        atol=1e-14)


def test_lstm_gate_grads_match_the_lecture_formulas_through_autograd():
    """The oracle goes through torch.lstm_cell (torch's gate order); the lecture's formulas in
    torch, differentiated by autograd, give the same four gradients."""
    lecture = sequences._gate_grads_with(None)
    for case in _hidden("lstm_gate_grads"):
        for a, e in zip(_oracle("lstm_gate_grads", case), _numpy(lecture(*_torch(case.args)))):
            assert_allclose(a, e, rtol=1e-12, atol=1e-14, err_msg=case.name)


def test_temporal_loss_matches_a_hand_written_log_softmax():
    for case in _hidden("temporal_softmax_loss"):
        y, targets, mask = case.args
        s = y - y.max(axis=2, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=2, keepdims=True))
        picked = np.take_along_axis(log_p, targets[..., None], axis=2)[..., 0]
        assert_allclose(_oracle("temporal_softmax_loss", case)[0], -(picked * mask).sum() / len(y),
                        rtol=1e-12)


def test_clip_matches_the_formula_and_never_lengthens():
    for case in _hidden("clip_gradients"):
        grads, max_norm = case.args
        total = np.sqrt(sum((g ** 2).sum() for g in grads))
        scale = min(1.0, max_norm / (total + 1e-6))
        clipped = _oracle("clip_gradients", case)
        for got, g in zip(clipped, grads):
            assert_allclose(got, g * scale, rtol=1e-12, atol=1e-15)
        assert np.sqrt(sum((c ** 2).sum() for c in clipped)) <= max(max_norm, total) + 1e-12


# ---------------------------------------------------------------- finite differences
def _numeric(loss, inputs, eps=1e-6):
    """Central differences of the scalar loss(*inputs) w.r.t. each float array in inputs."""
    grads = []
    for i, a in enumerate(inputs):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus, minus = [v.copy() for v in inputs], [v.copy() for v in inputs]
            plus[i][idx] += eps
            minus[i][idx] -= eps
            g[idx] = (loss(*plus) - loss(*minus)) / (2 * eps)
        grads.append(g)
    return grads


def _close(analytic, numeric, where):
    for k, (a, n) in enumerate(zip(analytic, numeric)):
        assert_allclose(a, n, rtol=1e-6, atol=1e-8, err_msg=f"{where}: output {k}")


def _first(name, n=3):
    return _hidden(name)[:n]


def test_temporal_loss_dy_finite_differences():
    for case in _first("temporal_softmax_loss"):
        y, targets, mask = case.args
        if np.abs(y).max() > 100:
            continue                  # the large-score case: the same function, shifted
        numeric = _numeric(lambda y: ref.temporal_softmax_loss(y, targets, mask)[0], [y])
        _close([ref.temporal_softmax_loss(*case.args)[1]], numeric, case.name)


def test_many_to_one_backward_finite_differences():
    for case in _first("many_to_one_backward"):
        dscores, *inputs = case.args
        numeric = _numeric(lambda *p: np.sum(dscores * ref.many_to_one(*p)), inputs)
        _close(ref.many_to_one_backward(*case.args), numeric, case.name)


def test_gradient_norms_finite_differences():
    """dL/dh_t by perturbing h_t and running the rest of the sequence from it."""
    for case in _first("gradient_norms"):
        x, h0, Wx, Wh, b = case.args
        h = ref._rnn_states(*case.args)
        T = x.shape[1]
        expected = []
        for t in range(T):
            def loss(h_t, t=t):
                state = h_t
                for s in range(t + 1, T):
                    state = np.tanh(x[:, s] @ Wx + state @ Wh + b)
                return state.sum()
            expected.append(np.linalg.norm(_numeric(loss, [h[:, t].copy()])[0]))
        assert_allclose(ref.gradient_norms(*case.args), expected, rtol=1e-6, err_msg=case.name)


def test_lstm_gate_grads_finite_differences():
    """The loss <h_next, dh_next> + <c_next, dc_next> as a function of the four pre-activations."""
    for case in _first("lstm_gate_grads"):
        dh, dc, x, h_prev, c_prev, W, b = case.args
        H = h_prev.shape[1]
        a = np.concatenate([h_prev, x], axis=1) @ W.T + b

        def loss(af, ai, ag, ao):
            sig = lambda v: 1 / (1 + np.exp(-v))
            c = sig(af) * c_prev + sig(ai) * np.tanh(ag)
            return np.sum(dh * sig(ao) * np.tanh(c)) + np.sum(dc * c)
        blocks = [a[:, k * H:(k + 1) * H].copy() for k in range(4)]
        _close(ref.lstm_gate_grads(*case.args), _numeric(loss, blocks), case.name)


def test_embed_backward_finite_differences():
    for case in _first("embed_backward"):
        demb, tokens, V = case.args
        E = np.random.default_rng(0).standard_normal((V, demb.shape[-1]))
        numeric = _numeric(lambda E: np.sum(demb * ref.embed(tokens, E)), [E])
        _close([ref.embed_backward(*case.args)], numeric, case.name)


def test_conv1d_over_time_backward_finite_differences():
    for case in _first("conv1d_over_time_backward"):
        dmaps, *inputs = case.args
        numeric = _numeric(lambda *p: np.sum(dmaps * ref.conv1d_over_time(*p)), inputs)
        _close(ref.conv1d_over_time_backward(*case.args), numeric, case.name)


def test_max_over_time_backward_finite_differences():
    for case in _first("max_over_time_backward"):
        dpooled, maps = case.args
        numeric = _numeric(lambda m: np.sum(dpooled * ref.max_over_time(m)), [maps])
        _close([ref.max_over_time_backward(*case.args)], numeric, case.name)


# ---------------------------------------------------------------- CUDA
@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_second_routes_match_the_cpu_oracle():
    for case in _hidden("conv1d_over_time"):
        emb, w, b = _torch(case.args, "cuda")
        on_cuda = F.conv2d(emb[:, None], w[:, None], b)[:, :, :, 0]
        assert_allclose(_numpy(on_cuda)[0], _oracle("conv1d_over_time", case)[0], rtol=1e-10,
                        atol=1e-12)
    for case in _hidden("many_to_one"):
        x, h0, Wx, Wh, b, Wy, by = _torch(case.args, "cuda")
        on_cuda = rnn.torch_rnn_oracle(x, h0, Wx, Wh, b)[:, -1] @ Wy + by
        assert_allclose(_numpy(on_cuda)[0], _oracle("many_to_one", case)[0], rtol=1e-10, atol=1e-12)
    for case in _hidden("lstm_gate_grads"):
        for a, e in zip(_oracle("lstm_gate_grads", case, "cuda"), _oracle("lstm_gate_grads", case)):
            assert_allclose(a, e, rtol=1e-10, atol=1e-12, err_msg=case.name)
