"""05_cnn: what only this assignment has. Every backward pass of the reference against finite
differences (the second oracle, independent of autograd); softmax's stability on the hidden
large scores; the parameter counts against the lecture's numbers; the digits and their split.
The generic checks (reference vs oracle in float64 and float32, misconceptions, samples, CUDA)
are in test_registry.py; training through the real grader in test_cnn_training.py."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest
import torch

import reference.cnn as ref
from autograder import digits
from autograder.problems import cnn

SEED = 90210                                  # any seed: the layout of the cases is seed-free
HIDDEN = {p.name: p.sample_cases(SEED, hidden=True) for p in cnn.PROBLEMS}
EPS = 1e-6


def numeric_gradient(f, x, eps=EPS):
    """d f / d x by central differences, one element at a time (f: array -> number)."""
    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        old = x[k]
        x[k] = old + eps
        up = f()
        x[k] = old - eps
        down = f()
        x[k] = old
        grad[k] = (up - down) / (2 * eps)
    return grad


def test_relu_backward_matches_finite_differences():
    """Away from the kink, by differences; at exact zeros, the convention (0)."""
    for case in HIDDEN["relu_backward"]:
        dout, x = (a.copy() for a in case.args)
        moved = np.where(x == 0, 0.5, x)                  # no kink inside the step
        numeric = numeric_gradient(lambda: np.sum(ref.relu_forward(moved) * dout), moved)
        np.testing.assert_allclose(ref.relu_backward(dout, moved), numeric, rtol=1e-6, atol=1e-8)
        assert np.all(ref.relu_backward(dout, x)[x == 0] == 0), case.name
    assert any((c.args[1] == 0).any() for c in HIDDEN["relu_backward"])


def test_affine_backward_matches_finite_differences():
    for case in HIDDEN["affine_backward"]:
        dout, x, w, b = (a.copy() for a in case.args)
        got = ref.affine_backward(dout, x, w, b)
        for arg, g in zip((x, w, b), got):
            numeric = numeric_gradient(lambda: np.sum(ref.affine_forward(x, w, b) * dout), arg)
            assert g.shape == arg.shape, case.name
            np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8, err_msg=case.name)


def test_softmax_cross_entropy_matches_finite_differences():
    for case in HIDDEN["softmax_cross_entropy"]:
        scores, y = case.args[0].copy(), case.args[1]
        loss, dscores = ref.softmax_cross_entropy(scores, y)
        numeric = numeric_gradient(lambda: ref.softmax_cross_entropy(scores, y)[0], scores)
        np.testing.assert_allclose(dscores, numeric, rtol=1e-5, atol=1e-8, err_msg=case.name)


def test_cnn_loss_matches_finite_differences():
    """Every parameter's gradient, on every hidden case: random inputs keep every ReLU and
    every pooling window's maximum where it is under a step of 1e-6."""
    for case in HIDDEN["cnn_loss"]:
        x, y, params = case.args
        params = {k: v.copy() for k, v in params.items()}
        _, grads = ref.cnn_loss(x, y, params)
        for k in cnn.KEYS:
            numeric = numeric_gradient(lambda: ref.cnn_loss(x, y, params)[0], params[k])
            np.testing.assert_allclose(grads[k], numeric, rtol=1e-5, atol=1e-8,
                                       err_msg=f"{case.name} {k}")


def test_given_layers_match_torch():
    """The notebook's given convolution and max pooling (vectorised) are the lectures' layers."""
    rng = np.random.default_rng(3)
    for (N, C, H, W, F_, FH, FW, S, P) in [(2, 3, 7, 6, 4, 3, 3, 1, 1), (2, 2, 8, 9, 3, 3, 2, 2, 0)]:
        x, w, b = rng.standard_normal((N, C, H, W)), rng.standard_normal((F_, C, FH, FW)), \
            rng.standard_normal(F_)
        xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
        out = torch.nn.functional.conv2d(xt, wt, bt, stride=S, padding=P)
        dout = torch.randn_like(out)
        out.backward(dout)
        np.testing.assert_allclose(ref.conv_forward(x, w, b, S, P), out.detach().numpy(), atol=1e-12)
        for g, t in zip(ref.conv_backward(dout.numpy(), x, w, b, S, P), (xt, wt, bt)):
            np.testing.assert_allclose(g, t.grad.numpy(), atol=1e-12)
        for PH, PW, stride in [(2, 2, 2), (3, 2, 2), (3, 3, 1)]:          # apart and overlapping
            xt = torch.tensor(x, requires_grad=True)
            out = torch.nn.functional.max_pool2d(xt, (PH, PW), stride)
            dout = torch.randn_like(out)
            out.backward(dout)
            np.testing.assert_array_equal(ref.max_pool_forward(x, PH, PW, stride), out.detach().numpy())
            np.testing.assert_allclose(ref.max_pool_backward(dout.numpy(), x, PH, PW, stride),
                                       xt.grad.numpy(), atol=1e-12)


def test_hidden_scores_overflow_a_naive_softmax():
    """|scores| reach 1000 on hidden cases (not on public ones): the reference stays finite
    and right there, exp(scores) without the max subtraction gives NaN."""
    public = cnn.SOFTMAX_CROSS_ENTROPY.sample_cases(SEED, hidden=False)
    assert max(np.abs(c.args[0]).max() for c in public) < 10
    large = [c for c in HIDDEN["softmax_cross_entropy"] if np.abs(c.args[0]).max() > 900]
    assert len(large) >= 2
    for case in large:
        loss, dscores = ref.softmax_cross_entropy(*case.args)
        expected = torch.nn.functional.cross_entropy(torch.tensor(case.args[0]),
                                                     torch.tensor(case.args[1]))
        assert np.isfinite(loss) and np.isfinite(dscores).all()
        np.testing.assert_allclose(loss, expected.item(), rtol=1e-12)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            naive = cnn._naive_softmax_ce(torch.tensor(case.args[0]), torch.tensor(case.args[1]))
        assert not all(torch.isfinite(t).all() for t in naive), case.name


def test_parameter_counts_of_the_lecture():
    assert ref.conv_param_count(3, 32, 3, 3) == 896
    assert ref.fc_param_count(32 * 32 * 3, 100) == 307_300
    net = {"conv": ref.conv_param_count(1, cnn.FILTERS, 3, 3),
           "fc1": ref.fc_param_count(cnn.FILTERS * 4 * 4, cnn.HIDDEN),
           "fc2": ref.fc_param_count(cnn.HIDDEN, cnn.CLASSES)}
    params = cnn.init_params(np.random.default_rng(0), 1, 8, 8, cnn.FILTERS, cnn.HIDDEN, cnn.CLASSES)
    assert net["conv"] == params["W1"].size + params["b1"].size == 80
    assert net["fc1"] == params["W2"].size + params["b2"].size == 8256
    assert net["fc2"] == params["W3"].size + params["b3"].size


def test_digits_and_their_split():
    x, y = digits.load()
    assert hashlib.sha256(digits.PATH.read_bytes()).hexdigest() == digits.SHA256
    assert x.shape == (1797, 1, 8, 8) and y.shape == (1797,) and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0 and np.all(np.round(x * 16) == x * 16)
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    x_train, y_train, x_test, y_test = digits.split()
    assert len(y_train) == 1437 and len(y_test) == 360
    both = np.concatenate([x_train, x_test]).reshape(1797, -1)
    assert len(np.unique(both, axis=0)) == len(np.unique(x.reshape(1797, -1), axis=0))
    assert set(np.unique(y_test)) == set(range(10))
    assert not x_train.flags.writeable


def test_train_cases_follow_the_design():
    """Small seeded runs with a short last batch and >= 2 epochs (what the shuffling mistakes
    need), then the full split, judged by its test accuracy."""
    cases = HIDDEN["train"]
    small, full = cases[:-1], cases[-1]
    for case in small:
        x, y, params, epochs, lr, batch, seed = case.args
        assert 20 <= len(y) <= 60 and epochs >= 2 and len(y) % batch and case.judge is None
    x, y, params, epochs, lr, batch, seed = full.args
    assert (len(y), epochs, lr, batch) == (1437, 10, 0.1, 32) and full.judge is not None
    assert params["W1"].shape == (cnn.FILTERS, 1, 3, 3)
