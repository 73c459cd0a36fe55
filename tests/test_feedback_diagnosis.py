"""Issue 11, diagnosis by structure: which outputs are right, families with a fitted
parameter, precision, patterns only where they apply, a shape hint per output. Run through
check() (the same score_problem and diagnosis as grading), in both languages."""
import numpy as np
import pytest

from autograder import check
from autograder.i18n import MESSAGES
from reference import convolution as conv
from reference import pooling as pool
from reference import rnn


def _feedback(capsys, name, fn, lang="en"):
    check(name, fn, lang=lang)
    return capsys.readouterr().out


def _conv_backward_loops(dout, x, w, b, stride, pad, images=None, mean=False):
    """A loop-style conv backward whose dw/db sum over `images` (all when None)."""
    N, C, H, W = x.shape
    F, _, FH, FW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw, db = np.zeros_like(xp), np.zeros_like(w), np.zeros_like(b)
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    g = dout[n, f, i, j]
                    window = (slice(i * stride, i * stride + FH), slice(j * stride, j * stride + FW))
                    dxp[(n, slice(None)) + window] += w[f] * g
                    if images is None or n in images:
                        dw[f] += xp[(n, slice(None)) + window] * g
                        db[f] += g
    if mean:
        db = db / N
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, db


def test_dw_from_the_first_image_only_is_named_with_the_image(capsys):
    out = _feedback(capsys, "conv_backward",
                    lambda *a: _conv_backward_loops(*a, images=(0,)))
    lines = out.splitlines()
    assert lines[1].strip() == "Correct: dx. Wrong: dw, db."
    assert "summed over the batch" in out or "sum over the batch" in out
    assert "image(s) 0 only" in out


def test_db_as_a_mean_is_named_as_a_factor(capsys):
    out = _feedback(capsys, "conv_backward", lambda *a: _conv_backward_loops(*a, mean=True))
    assert "Correct: dx, dw. Wrong: db." in out and "times 0.5" in out


def _bptt_overwritten(dh, x, h0, Wx, Wh, b, which=("dWh",), last_only=False):
    """BPTT where the outputs in `which` are assigned (=) at each step instead of summed."""
    T = x.shape[1]
    h = rnn.rnn_forward(x, h0, Wx, Wh, b)
    dx, dWx, dWh, db = (np.zeros_like(a) for a in (x, Wx, Wh, b))
    carry = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = h0 if t == 0 else h[:, t - 1]
        da = (dh[:, t] + carry) * (1 - h[:, t] ** 2)
        dx[:, t] = da @ Wx.T
        parts = {"dWx": x[:, t].T @ da, "dWh": h_prev.T @ da, "db": da.sum(0)}
        acc = {"dWx": dWx, "dWh": dWh, "db": db}
        for name, value in parts.items():
            if name in which:
                if not last_only or t == T - 1:
                    acc[name][...] = value
            else:
                acc[name] += value
        carry = da @ Wh.T
    return dx, carry, dWx, dWh, db


def test_dWh_overwritten_at_each_step_is_named_with_the_step(capsys):
    out = _feedback(capsys, "rnn_backward", _bptt_overwritten)
    assert "Correct: dx, dh0, dWx, db. Wrong: dWh." in out
    assert "overwritten" in out and "time step(s) 0 only" in out


def test_weights_from_the_last_step_only_are_named(capsys):
    out = _feedback(capsys, "rnn_backward",
                    lambda *a: _bptt_overwritten(*a, which=("dWx", "dWh", "db"), last_only=True))
    assert "time step(s) last only" in out


def test_float32_arithmetic_is_a_precision_problem_not_a_bias(capsys):
    def f32(x, w, b, stride, pad):
        return conv.conv_forward(*(a.astype(np.float32) for a in (x, w, b)), stride, pad)
    out = _feedback(capsys, "conv_forward", f32)
    assert "float32 rounding" in out and "bias" not in out and "order" not in out


def test_no_bias_for_pooling_and_no_scale_for_a_single_number(capsys):
    out = _feedback(capsys, "max_pool_forward", lambda *a: pool.max_pool_forward(*a) + 0.5)
    assert "bias" not in out and "same constant 0.5" in out
    out = _feedback(capsys, "conv_output_size",
                    lambda H, W, FH, FW, P, S: conv.conv_output_size(H, W, FH, FW, P, S)[::-1])
    assert "times" not in out and "OH = OW, OW = OH" in out


def test_no_border_without_padding_and_no_conv_formula_for_rnn_shapes(capsys):
    def skip_first_step(x, h0, Wx, Wh, b):
        h = rnn.rnn_forward(x, h0, Wx, Wh, b)
        h[:, 0] = 0.0
        return h
    out = _feedback(capsys, "rnn_forward", skip_first_step)
    assert "padding" not in out
    out = _feedback(capsys, "rnn_forward", lambda *a: rnn.rnn_forward(*a)[:, :, :-1])
    assert "OH =" not in out and "(N, T, H)" in out
    out = _feedback(capsys, "conv_backward", lambda *a: (
        np.pad(conv.conv_backward(*a)[0], ((0, 0), (0, 0), (1, 1), (1, 1))),) + conv.conv_backward(*a)[1:])
    assert "dx is the gradient of x, so it has the shape of x" in out and "OH =" not in out


def test_every_new_message_is_in_both_languages():
    keys = [k for k in MESSAGES if k.startswith(("pattern.fit.", "hint.", "outputs.", "check.same",
                                                 "not_loaded", "pattern.precision",
                                                 "pattern.offset", "pattern.outputs_swapped"))]
    assert len(keys) >= 14
    for key in keys:
        assert set(MESSAGES[key]) == {"en", "ko"}, key
        assert MESSAGES[key]["ko"] != MESSAGES[key]["en"] or not MESSAGES[key]["en"], key


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_fitted_family_reads_in_both_languages(capsys, lang):
    out = _feedback(capsys, "conv_backward", lambda *a: _conv_backward_loops(*a, images=(0,)), lang)
    assert ("image(s) 0 only" if lang == "en" else "이미지 0만") in out


def test_an_output_size_without_its_plus_one_is_off_by_one(capsys):
    out = _feedback(capsys, "conv_output_size",
                    lambda *a: tuple(v - 1 for v in conv.conv_output_size(*a)))
    assert "off by -1" in out and "times" not in out


def test_check_falls_back_to_the_smallest_failing_public_case_and_it_reproduces(capsys):
    """A mistake the small lattice (at most 5x5) cannot show: the smallest failing public case
    is shown instead, as setup lines and a call that fail again when run."""
    def wrong_when_large(x, w, b=0.0, stride=1, pad=0):
        out = conv.conv2d_single(x, w, b, stride, pad)
        return out + 1.0 if x.shape[0] >= 7 else out
    out = _feedback(capsys, "conv2d_single", wrong_when_large)
    lines = [line.strip() for line in out.splitlines()]
    start = lines.index("Smallest failing public case (run it yourself):")
    namespace = {"np": np}
    for line in lines[start + 1:]:
        if line.startswith("conv2d_single("):
            args = eval(f"(lambda *a: a){line[len('conv2d_single'):]}", namespace)
            break
        exec(line, namespace)
    assert args[0].shape == (7, 7)
    assert not np.allclose(wrong_when_large(*args), conv.conv2d_single(*args))
