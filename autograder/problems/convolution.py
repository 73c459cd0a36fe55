"""01_convolution: output size, zero padding, single- and multi-channel convolution, the
batched layer and its backward pass. Convolution is cross-correlation, as in the lectures
and in `torch.nn.functional.conv2d`."""
from __future__ import annotations

import numpy as np

from autograder.oracle import F, torch, vjp     # torch: imported when an oracle runs
from autograder.registry import Case, Misconception, Problem

A = "01_convolution"

# The lectures' worked example: 4x4 input, 3x3 filter -> [[15, 16], [6, 15]].
LECTURE_X = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=np.float64)
LECTURE_W = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]], dtype=np.float64)
# The stride example: the same pattern tiled to 7x7, stride 2 -> 15, 17, ...
LECTURE_X7 = np.array([[(c - r) % 4 for c in range(1, 8)] for r in range(7)], dtype=np.float64)


def _grad_of(forward, inputs, upstream):
    """Autograd as the oracle: the gradients of <forward(*inputs), upstream>."""
    leaves = [t.detach().clone().requires_grad_(True) for t in inputs]
    return vjp((forward(*leaves),), leaves, (upstream,))


# ---------------------------------------------------------------- conv_output_size
def size_cases(rng, hidden):
    # OH != OW and H != W (and FH != FW) in public and hidden rows: (OW, OH) or (OH, OH) fails
    rows = [(4, 4, 3, 3, 0, 1), (4, 4, 3, 3, 1, 1), (7, 7, 3, 3, 0, 2), (5, 8, 2, 3, 1, 2),
            (6, 9, 3, 2, 0, 2)]
    if hidden:
        rows += [(11, 5, 3, 2, 0, 3), (32, 32, 5, 5, 2, 1), (9, 14, 4, 4, 1, 3), (3, 3, 3, 3, 0, 1),
                 (6, 10, 2, 4, 1, 1)]
    for row in rows:
        H, W, FH, FW, P, S = row
        yield Case(f"H{H}W{W}_F{FH}x{FW}_p{P}_s{S}", row)
    errors = [("stride0", (4, 4, 3, 3, 0, 0)), ("negative_pad", (4, 4, 3, 3, -1, 1)),
              ("filter_too_big", (2, 2, 3, 3, 0, 1))]
    if hidden:
        errors += [("zero_height", (0, 4, 1, 1, 0, 1)), ("negative_width", (4, -4, 1, 1, 0, 1))]
    for name, row in errors:
        yield Case(name, row, raises=ValueError)


def size_oracle(H, W, FH, FW, P, S):
    out = F.conv2d(torch.zeros(1, 1, H, W), torch.zeros(1, 1, FH, FW), padding=P, stride=S)
    return torch.tensor(out.shape[-2]), torch.tensor(out.shape[-1])


CONV_OUTPUT_SIZE = Problem(
    "conv_output_size", A, "(H, W, FH, FW, P, S) -> (OH, OW)", size_cases, size_oracle,
    outputs=("OH", "OW"), float32=False, packed=True,
    misconceptions=(
        Misconception("rounded_up", {
            "en": "The output size was rounded up. torch.nn.Conv2d floors: OH = (H + 2P - FH) // S + 1.",
            "ko": "출력 크기를 올림(ceil)했습니다. torch.nn.Conv2d는 내림(floor)합니다: OH = (H + 2P - FH) // S + 1."},
            mimic=lambda H, W, FH, FW, P, S: (torch.tensor(-(-(H + 2 * P - FH) // S) + 1),
                                              torch.tensor(-(-(W + 2 * P - FW) // S) + 1))),
        Misconception("padding_once", {
            "en": "Padding was counted on one side only; it adds P rows on top and P at the bottom: H + 2P.",
            "ko": "패딩(padding)을 한쪽에만 더했습니다. 위와 아래에 P씩 더해지므로 H + 2P입니다."},
            mimic=lambda H, W, FH, FW, P, S: (torch.tensor((H + P - FH) // S + 1),
                                              torch.tensor((W + P - FW) // S + 1))),
    ))


# ---------------------------------------------------------------- zero_pad
def pad_cases(rng, hidden):
    rows = [(1, 1, 4, 4, 1), (2, 3, 3, 5, 2)] + ([(3, 2, 5, 4, 3), (1, 1, 2, 2, 0)] if hidden else [])
    for N, C, H, W, P in rows:
        yield Case(f"N{N}C{C}_{H}x{W}_p{P}", (rng.standard_normal((N, C, H, W)), P))


ZERO_PAD = Problem(
    "zero_pad", A, "(x, P) -> x_padded", pad_cases,
    oracle=lambda x, P: F.pad(x, (P, P, P, P)),
    misconceptions=(
        Misconception("one_side", {
            "en": "Zeros were added on one side only; zero padding adds P on every side of H and W.",
            "ko": "한쪽에만 0을 채웠습니다. 제로 패딩(zero padding)은 H와 W의 양쪽에 P씩 채웁니다."},
            mimic=lambda x, P: F.pad(x, (0, 2 * P, 0, 2 * P))),
        Misconception("padded_channels", {
            "en": "N or C was padded too; only the spatial axes H and W get zeros.",
            "ko": "N 또는 C 축까지 패딩했습니다. 공간 축(H, W)에만 0을 채웁니다."},
            mimic=lambda x, P: F.pad(x, (P, P, P, P, P, P))),
    ))


# ---------------------------------------------------------------- shared conv mistakes
def _flipped(x, w, b, stride, pad):
    return F.conv2d(x, torch.flip(w, (-2, -1)), b, stride=stride, padding=pad)


def _one_side(x, w, b, stride, pad):
    return F.conv2d(F.pad(x, (0, 2 * pad, 0, 2 * pad)), w, b, stride=stride)


def _stride_ignored(x, w, b, stride, pad):
    return F.conv2d(x, w, b, stride=1, padding=pad)


def _rounded_up(x, w, b, stride, pad):
    """A loop that runs ceil((H + 2P - FH)/S) + 1 times and pads the overrun with zeros."""
    H, W = x.shape[-2] + 2 * pad, x.shape[-1] + 2 * pad
    FH, FW = w.shape[-2:]
    extra_h = (-(H - FH) % stride)
    extra_w = (-(W - FW) % stride)
    xp = F.pad(x, (pad, pad + extra_w, pad, pad + extra_h))
    return F.conv2d(xp, w, b, stride=stride)


FLIPPED = {"en": "The kernel was flipped (true convolution). The lectures and torch use "
                 "cross-correlation: out[i, j] = sum(x[i*S:i*S+FH, j*S:j*S+FW] * w), with w as given.",
           "ko": "커널(kernel)을 뒤집었습니다(수학적 convolution). 강의와 torch는 교차상관(cross-correlation)을 "
                 "씁니다: out[i, j] = sum(x[i*S:i*S+FH, j*S:j*S+FW] * w), w를 그대로 사용하세요."}
NO_BIAS = {"en": "The bias is missing: add b (one number per filter) to every output element.",
           "ko": "편향(bias)이 빠졌습니다: 각 출력 원소에 b(필터마다 하나의 값)를 더하세요."}
BIAS_TWICE = {"en": "The bias was added twice: it is added once, after the sum over the window (and channels).",
              "ko": "편향(bias)을 두 번 더했습니다: 윈도우(와 채널)에 대한 합을 구한 뒤 한 번만 더합니다."}
ONE_SIDE = {"en": "The input was padded on one side only: zero padding puts P zeros on the top, bottom, left and right.",
            "ko": "입력을 한쪽에만 패딩했습니다: 제로 패딩은 위, 아래, 왼쪽, 오른쪽에 P개씩 0을 채웁니다."}
NO_STRIDE = {"en": "The stride was ignored: the window moves S pixels at a time, so OH = (H + 2P - FH) // S + 1.",
             "ko": "스트라이드(stride)를 무시했습니다: 윈도우는 S칸씩 이동하므로 OH = (H + 2P - FH) // S + 1입니다."}
ROUNDED_UP = {"en": "The output size was rounded up; it floors: OH = (H + 2P - FH) // S + 1, and a window "
                    "that would run past the border is not used.",
              "ko": "출력 크기를 올림했습니다. 내림(floor)이 맞습니다: OH = (H + 2P - FH) // S + 1, 경계를 넘는 "
                    "윈도우는 쓰지 않습니다."}


def _conv_mistakes(adapt):
    """The conv mistakes, adapted to a problem's argument layout by `adapt(f4)`, where
    f4(x, w, b, stride, pad) takes batched (N, C, H, W) tensors."""
    return (
        Misconception("kernel_flipped", FLIPPED, adapt(_flipped)),
        Misconception("bias_missing", NO_BIAS,
                      adapt(lambda x, w, b, s, p: F.conv2d(x, w, None, stride=s, padding=p))),
        Misconception("bias_twice", BIAS_TWICE,
                      adapt(lambda x, w, b, s, p: F.conv2d(x, w, 2 * b, stride=s, padding=p))),
        Misconception("padding_one_side", ONE_SIDE, adapt(_one_side)),
        Misconception("stride_ignored", NO_STRIDE, adapt(_stride_ignored)),
        Misconception("output_rounded_up", ROUNDED_UP, adapt(_rounded_up)),
    )


# ---------------------------------------------------------------- conv2d_single
def _as_bias(b, like):
    return torch.as_tensor(b, dtype=like.dtype, device=like.device).reshape(1)


def _single(f4):
    return lambda x, w, b=0.0, stride=1, pad=0: f4(x[None, None], w[None, None], _as_bias(b, x),
                                                     stride, pad)[0, 0]


def single_cases(rng, hidden):
    yield Case("lecture_4x4", (LECTURE_X, LECTURE_W, 0.0, 1, 0))
    yield Case("lecture_bias3", (LECTURE_X, LECTURE_W, 3.0, 1, 0))
    yield Case("lecture_pad1", (LECTURE_X, LECTURE_W, 0.0, 1, 1))
    yield Case("lecture_7x7_s2", (LECTURE_X7, LECTURE_W, 0.0, 2, 0))
    yield Case("random_7x7_s2", (rng.standard_normal((7, 7)), LECTURE_W, 0.0, 2, 0))  # not periodic
    rows = [(5, 6, 2, 3, 0.5, 2, 1)]
    if hidden:
        rows += [(8, 7, 3, 3, -1.25, 3, 1), (6, 9, 4, 2, 0.0, 1, 2), (10, 10, 5, 5, 2.0, 2, 2)]
    for H, W, FH, FW, b, S, P in rows:
        yield Case(f"{H}x{W}_f{FH}x{FW}_s{S}_p{P}",
                   (rng.standard_normal((H, W)), rng.standard_normal((FH, FW)), b, S, P))


CONV2D_SINGLE = Problem(
    "conv2d_single", A, "(x, w, b=0.0, stride=1, pad=0) -> out", single_cases,
    oracle=_single(lambda x, w, b, s, p: F.conv2d(x, w, b, stride=s, padding=p)),
    misconceptions=_conv_mistakes(_single))


# ---------------------------------------------------------------- conv2d_multi
def _multi(f4):
    return lambda x, w, b=0.0, stride=1, pad=0: f4(x[None], w[None], _as_bias(b, x), stride, pad)[0, 0]


def multi_cases(rng, hidden):
    lecture = np.stack([LECTURE_X, LECTURE_X[::-1]])
    yield Case("lecture_2ch", (lecture, np.stack([LECTURE_W, LECTURE_W.T]), 0.0, 1, 0))
    rows = [(3, 5, 5, 3, 3, 1.5, 2, 1), (2, 6, 7, 3, 2, 0.5, 2, 0)]        # the last floors, P = 0
    if hidden:
        rows += [(2, 7, 6, 2, 3, -0.5, 1, 0), (4, 9, 8, 3, 2, 0.25, 3, 2), (3, 6, 6, 3, 3, 0.0, 1, 1)]
    for C, H, W, FH, FW, b, S, P in rows:
        yield Case(f"C{C}_{H}x{W}_f{FH}x{FW}_s{S}_p{P}",
                   (rng.standard_normal((C, H, W)), rng.standard_normal((C, FH, FW)), b, S, P))


CHANNELS_NOT_SUMMED = Misconception("channels_not_summed", {
    "en": "The channels were not summed: each channel is convolved with its own slice of the filter "
          "and the C results are added into one feature map.",
    "ko": "채널(channel)별 결과를 더하지 않았습니다: 채널마다 필터의 해당 채널과 합성곱한 뒤 C개의 결과를 더해 "
          "하나의 특징 맵(feature map)을 만듭니다."},
    # groups=C: channel c with filter slice c only, the C maps kept apart -> (C, OH, OW).
    mimic=lambda x, w, b=0.0, stride=1, pad=0: F.conv2d(
        x[None], w[:, None], stride=stride, padding=pad, groups=x.shape[0])[0] + _as_bias(b, x))

CONV2D_MULTI = Problem(
    "conv2d_multi", A, "(x, w, b=0.0, stride=1, pad=0) -> out", multi_cases,
    oracle=_multi(lambda x, w, b, s, p: F.conv2d(x, w, b, stride=s, padding=p)),
    misconceptions=_conv_mistakes(_multi) + (CHANNELS_NOT_SUMMED,))


# ---------------------------------------------------------------- conv_forward / conv_backward
def layer_rows(hidden):
    rows = [(2, 3, 5, 5, 2, 3, 3, 1, 1), (1, 2, 7, 6, 3, 3, 2, 2, 0),
            (2, 2, 6, 7, 2, 3, 2, 2, 0)]                        # P = 0, a stride that floors
    if hidden:
        rows += [(3, 2, 8, 9, 4, 2, 3, 3, 1), (2, 4, 6, 6, 2, 3, 3, 2, 1), (2, 1, 9, 7, 3, 4, 4, 2, 2)]
    return rows


def forward_cases(rng, hidden):
    for N, C, H, W, F_, FH, FW, S, P in layer_rows(hidden):
        yield Case(f"N{N}C{C}F{F_}_{H}x{W}_f{FH}x{FW}_s{S}_p{P}",
                   (rng.standard_normal((N, C, H, W)), rng.standard_normal((F_, C, FH, FW)),
                    rng.standard_normal(F_), S, P))


def _layer(x, w, b, stride, pad):
    return F.conv2d(x, w, b, stride=stride, padding=pad)


CONV_FORWARD = Problem(
    "conv_forward", A, "(x, w, b, stride, pad) -> out", forward_cases, oracle=_layer,
    misconceptions=_conv_mistakes(lambda f4: f4))


def backward_cases(rng, hidden):
    for case in forward_cases(rng, hidden):
        x, w, b, S, P = case.args
        (N, _, H, W), (F_, _, FH, FW) = x.shape, w.shape
        out_shape = (N, F_, (H + 2 * P - FH) // S + 1, (W + 2 * P - FW) // S + 1)   # conv2d's
        yield Case(case.name, (rng.standard_normal(out_shape), x, w, b, S, P))


def _backward_of(forward):
    def backward(dout, x, w, b, stride, pad):
        return _grad_of(lambda x, w, b: forward(x, w, b, stride, pad), (x, w, b), dout)
    return backward


def _dw_averaged(dout, x, w, b, stride, pad):
    dx, dw, db = _backward_of(_layer)(dout, x, w, b, stride, pad)
    return dx, dw / x.shape[0], db / x.shape[0]


def _per_image(dout, x, w, b, stride, pad):
    """dw and db split by image: what each image of the batch adds to the filter's gradient."""
    grads = [_backward_of(_layer)(dout[n:n + 1], x[n:n + 1], w, b, stride, pad)
             for n in range(x.shape[0])]
    return "image", {"dw": [g[1] for g in grads], "db": [g[2] for g in grads]}


CONV_BACKWARD = Problem(
    "conv_backward", A, "(dout, x, w, b, stride, pad) -> (dx, dw, db)", backward_cases,
    oracle=_backward_of(_layer), outputs=("dx", "dw", "db"),
    misconceptions=(
        Misconception("kernel_flipped", FLIPPED, _backward_of(_flipped)),
        Misconception("padding_one_side", ONE_SIDE, _backward_of(_one_side)),
        Misconception("dw_not_summed", {
            "en": "dw and db were averaged over the batch, or taken from one sample: the filter is shared by "
                  "all N images, so its gradient is the sum over the batch (and over every output position).",
            "ko": "dw와 db를 배치(batch)에 대해 평균 내거나 한 샘플에서만 구했습니다: 필터는 N개의 이미지가 공유하므로 "
                  "기울기는 배치 전체(와 모든 출력 위치)에 대한 합입니다."},
            mimic=_dw_averaged, parts=_per_image),
    ))

PROBLEMS = (CONV_OUTPUT_SIZE, ZERO_PAD, CONV2D_SINGLE, CONV2D_MULTI, CONV_FORWARD, CONV_BACKWARD)
