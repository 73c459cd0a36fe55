"""02_pooling: max, average and min pooling over a (PH, PW) window moved `stride` pixels at a
time, and the backward passes of max and average pooling. Pooling has no parameters and works
on each channel on its own, so the channel count is kept: (N, C, H, W) -> (N, C, OH, OW) with
OH = (H - PH) // stride + 1 (floored, as torch.nn.MaxPool2d does)."""
from __future__ import annotations

import numpy as np

from autograder.oracle import F, torch, vjp     # torch: imported when an oracle runs
from autograder.registry import Case, Misconception, Problem

A = "02_pooling"

# The lectures' worked example: 4x4 input, 2x2 window, stride 2 -> max [[2, 3], [4, 2]],
# average [[1, 1.5], [2.25, 1]]. Every window's maximum is unique, so its gradient is too.
LECTURE_X = np.array([[1, 2, 1, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 4, 0, 1]], dtype=np.float64)
LECTURE_DOUT = np.array([[1, 2], [3, 4]], dtype=np.float64)


# ---------------------------------------------------------------- cases
def pool_rows(hidden):
    """(N, C, H, W, PH, PW, stride): odd sizes that floor, stride > 1, stride < window
    (overlapping windows), stride > window (gaps), PW != PH, a window as big as the input."""
    rows = [(2, 3, 6, 7, 3, 3, 2),      # overlapping, H floors
            (1, 2, 7, 7, 2, 3, 2)]      # PW != PH, H floors, overlapping in W only
    if hidden:
        rows += [(3, 2, 9, 8, 3, 3, 1),     # stride 1: every pixel in up to 9 windows
                 (2, 3, 8, 7, 3, 2, 3),     # stride > PW: columns that no window covers
                 (4, 3, 6, 6, 2, 2, 2),     # the textbook layer, N = 4
                 (2, 2, 9, 9, 3, 2, 2),     # swapping PH and PW keeps the output shape
                 (2, 1, 11, 10, 4, 3, 3),   # both axes floor, overlapping in H only
                 (1, 3, 5, 5, 5, 5, 1)]     # global pooling: a 1x1 output
    return rows


def _distinct(rng, shape, k):
    """Distinct values (no ties in any window) k/7: all <= 0, all >= 0 or mixed, by k."""
    n = int(np.prod(shape))
    shift = (n - 1, 0, n // 2)[k % 3]
    return (rng.permutation(n).reshape(shape) - shift) / 7.0


def _out_shape(N, C, H, W, PH, PW, S):
    return N, C, (H - PH) // S + 1, (W - PW) // S + 1


def forward_cases(rng, hidden):
    yield Case("lecture_4x4_p2x2_s2", (LECTURE_X[None, None].copy(), 2, 2, 2))
    for k, (N, C, H, W, PH, PW, S) in enumerate(pool_rows(hidden)):
        yield Case(f"N{N}C{C}_{H}x{W}_p{PH}x{PW}_s{S}", (_distinct(rng, (N, C, H, W), k), PH, PW, S))


def backward_cases(rng, hidden):
    for case in forward_cases(rng, hidden):
        x, PH, PW, S = case.args
        if case.name.startswith("lecture"):
            dout = LECTURE_DOUT[None, None].copy()
        else:
            dout = rng.standard_normal(_out_shape(*x.shape, PH, PW, S))
        yield Case(case.name, (dout, x, PH, PW, S))


# ---------------------------------------------------------------- oracles
def _max(x, PH, PW, stride):
    return F.max_pool2d(x, (PH, PW), stride)


def _avg(x, PH, PW, stride):
    return F.avg_pool2d(x, (PH, PW), stride)


def _min(x, PH, PW, stride):
    return -F.max_pool2d(-x, (PH, PW), stride)


def _backward_of(forward):
    """Autograd as the oracle: dx = the gradient of <forward(x, ...), dout>."""
    def backward(dout, x, PH, PW, stride):
        with torch.enable_grad():
            leaf = x.detach().clone().requires_grad_(True)
            dx, = vjp((forward(leaf, PH, PW, stride),), (leaf,), (dout,))
        return dx
    return backward


def _window_by_window(route):
    """A student's loop that *assigns* each window's gradient (dx[window] = ...) instead of
    adding it, in row-major window order: where windows overlap, the last one wins."""
    def backward(dout, x, PH, PW, stride):
        dx = torch.zeros_like(x)
        for i in range(dout.shape[-2]):
            for j in range(dout.shape[-1]):
                rows = slice(i * stride, i * stride + PH)
                cols = slice(j * stride, j * stride + PW)
                dx[..., rows, cols] = route(x[..., rows, cols], dout[..., i, j, None, None], PH * PW)
        return dx
    return backward


def _to_max(window, g, m):
    flat = window.flatten(-2)
    onehot = torch.zeros_like(flat).scatter_(-1, flat.argmax(-1, keepdim=True), 1.0)
    return onehot.reshape(window.shape) * g


def _to_all_divided(window, g, m):
    return torch.zeros_like(window) + g / m


# ---------------------------------------------------------------- shared forward mistakes
def _forward_mistakes(pool):
    """The window mistakes any forward pooling can make, with `pool` its correct op."""
    return (
        Misconception("stride_ignored", {
            "en": "The stride was ignored and the window moved one pixel at a time. It moves `stride` "
                  "pixels: out[i, j] pools x[i*S:i*S+PH, j*S:j*S+PW], and OH = (H - PH) // S + 1.",
            "ko": "스트라이드(stride)를 무시하고 윈도우(window)를 한 칸씩 옮겼습니다. 윈도우는 S칸씩 이동합니다: "
                  "out[i, j]는 x[i*S:i*S+PH, j*S:j*S+PW]를 풀링(pooling)하고, OH = (H - PH) // S + 1입니다."},
            mimic=lambda x, PH, PW, stride: pool(x, PH, PW, 1)),
        Misconception("stride_is_window", {
            "en": "The window jumped by its own size (PH down, PW across) instead of by `stride`. The "
                  "lecture's 2x2 window happens to use stride 2; with a 3x3 window and stride 2 the "
                  "windows overlap.",
            "ko": "윈도우(window)가 스트라이드(stride) 대신 자기 크기(세로 PH, 가로 PW)만큼 이동했습니다. 강의 예시는 "
                  "2x2 윈도우에 스트라이드 2라서 같아 보이지만, 3x3 윈도우에 스트라이드 2이면 윈도우가 겹칩니다."},
            mimic=lambda x, PH, PW, stride: pool(x, PH, PW, (PH, PW))),
        Misconception("window_transposed", {
            "en": "PH and PW were swapped: the window is PH rows high (along H) and PW columns wide "
                  "(along W).",
            "ko": "PH와 PW가 뒤바뀌었습니다: 윈도우(window)의 높이(H 방향)가 PH, 너비(W 방향)가 PW입니다."},
            mimic=lambda x, PH, PW, stride: pool(x, PW, PH, stride)),
    )


STARTED_AT_ZERO = {
    "en": "The running {what} started at 0 instead of at the window's first element (or {inf}), so a "
          "window whose values are all {sign} gives 0. Start from the first element, or use np.{np}.",
    "ko": "{what_ko}의 초기값을 윈도우(window)의 첫 원소(또는 {inf}) 대신 0으로 두어서, 값이 모두 {sign_ko}인 윈도우의 "
          "결과가 0이 되었습니다. 첫 원소에서 시작하거나 np.{np}를 쓰세요."}

# ---------------------------------------------------------------- max_pool_forward
MAX_POOL_FORWARD = Problem(
    "max_pool_forward", A, "(x, PH, PW, stride) -> out", forward_cases, _max,
    misconceptions=(
        Misconception("averaged", {
            "en": "The window was averaged; max pooling keeps each window's largest value.",
            "ko": "윈도우(window)의 평균을 구했습니다. 최대 풀링(max pooling)은 각 윈도우의 최댓값을 남깁니다."},
            mimic=_avg),
        Misconception("started_at_zero", {
            lang: text.format(what="maximum", what_ko="최댓값", inf="-inf", sign="negative",
                              sign_ko="음수", np="max")
            for lang, text in STARTED_AT_ZERO.items()},
            mimic=lambda x, PH, PW, stride: _max(x, PH, PW, stride).clamp(min=0)),
    ) + _forward_mistakes(_max))


# ---------------------------------------------------------------- avg_pool_forward
AVG_POOL_FORWARD = Problem(
    "avg_pool_forward", A, "(x, PH, PW, stride) -> out", forward_cases, _avg,
    misconceptions=(
        Misconception("summed", {
            "en": "The window was summed but not divided by its size: the average is the sum over the "
                  "PH*PW elements divided by PH*PW.",
            "ko": "윈도우(window)의 합을 구하고 크기로 나누지 않았습니다: 평균은 PH*PW개 원소의 합을 PH*PW로 나눈 "
                  "값입니다."},
            mimic=lambda x, PH, PW, stride: _avg(x, PH, PW, stride) * (PH * PW)),
    ) + _forward_mistakes(_avg))


# ---------------------------------------------------------------- min_pool_forward
MIN_POOL_FORWARD = Problem(
    "min_pool_forward", A, "(x, PH, PW, stride) -> out", forward_cases, _min,
    misconceptions=(
        Misconception("max_instead_of_min", {
            "en": "This is max pooling: min pooling keeps each window's smallest value (np.min, not np.max).",
            "ko": "최대 풀링(max pooling)을 구했습니다: 최소 풀링(min pooling)은 각 윈도우(window)의 최솟값을 남깁니다 "
                  "(np.max가 아니라 np.min)."},
            mimic=_max),
        Misconception("started_at_zero", {
            lang: text.format(what="minimum", what_ko="최솟값", inf="+inf", sign="positive",
                              sign_ko="양수", np="min")
            for lang, text in STARTED_AT_ZERO.items()},
            mimic=lambda x, PH, PW, stride: _min(x, PH, PW, stride).clamp(max=0)),
    ) + _forward_mistakes(_min))


# ---------------------------------------------------------------- max_pool_backward
NOT_ACCUMULATED = {
    "en": "Each window's gradient was assigned (dx[window] = ...) instead of added (+=). When the "
          "stride is smaller than the window, windows overlap and a pixel collects gradient from "
          "every window it belongs to; assigning keeps only the last window's.",
    "ko": "각 윈도우(window)의 기울기(gradient)를 더하지(+=) 않고 대입(dx[window] = ...)했습니다. 스트라이드(stride)가 "
          "윈도우보다 작으면 윈도우가 겹치고, 한 픽셀은 자기가 속한 모든 윈도우의 기울기를 더해 받습니다. "
          "대입하면 마지막 윈도우의 값만 남습니다."}

MAX_POOL_BACKWARD = Problem(
    "max_pool_backward", A, "(dout, x, PH, PW, stride) -> dx", backward_cases, _backward_of(_max),
    outputs=("dx",),
    misconceptions=(
        Misconception("gradient_to_all", {
            "en": "dout went to every element of the window. Only the window's maximum reached the "
                  "output, so only it gets dout; the other elements get 0.",
            "ko": "dout을 윈도우(window)의 모든 원소에 보냈습니다. 출력에 반영된 것은 최댓값뿐이므로 역전파"
                  "(backpropagation)는 최댓값을 가진 원소에만 흐르고, 나머지 원소의 기울기(gradient)는 0입니다."},
            mimic=_backward_of(lambda x, PH, PW, s: _avg(x, PH, PW, s) * (PH * PW))),
        Misconception("averaged", {
            "en": "This is the average-pooling gradient (dout / (PH*PW) to every element). In max pooling "
                  "the whole dout goes to the element that was the maximum.",
            "ko": "평균 풀링(average pooling)의 기울기(gradient)입니다(모든 원소에 dout / (PH*PW)). 최대 풀링"
                  "(max pooling)에서는 dout 전체가 최댓값이었던 원소로 갑니다."},
            mimic=_backward_of(_avg)),
        Misconception("not_accumulated", NOT_ACCUMULATED, mimic=_window_by_window(_to_max)),
    ))


# ---------------------------------------------------------------- avg_pool_backward
AVG_POOL_BACKWARD = Problem(
    "avg_pool_backward", A, "(dout, x, PH, PW, stride) -> dx", backward_cases, _backward_of(_avg),
    outputs=("dx",),
    misconceptions=(
        Misconception("not_divided", {
            "en": "dout was copied to the window without dividing by its size. Each of the m = PH*PW "
                  "elements contributed 1/m of the average, so each gets dout / m.",
            "ko": "dout을 윈도우(window) 크기로 나누지 않고 그대로 복사했습니다. m = PH*PW개의 원소가 평균에 1/m씩 "
                  "반영되었으므로 역전파(backpropagation)는 각 원소에 dout / m을 전달합니다."},
            mimic=_backward_of(lambda x, PH, PW, s: _avg(x, PH, PW, s) * (PH * PW))),
        Misconception("not_accumulated", NOT_ACCUMULATED, mimic=_window_by_window(_to_all_divided)),
        Misconception("routed_to_max", {
            "en": "This is the max-pooling gradient (dout only to the maximum). Every element of an "
                  "average-pooling window counts equally, so each gets dout / (PH*PW).",
            "ko": "최대 풀링(max pooling)의 기울기(gradient)입니다(최댓값에만 dout). 평균 풀링(average pooling)에서는 "
                  "윈도우(window)의 모든 원소가 똑같이 반영되므로 각 원소가 dout / (PH*PW)를 받습니다."},
            mimic=_backward_of(_max)),
    ))

PROBLEMS = (MAX_POOL_FORWARD, AVG_POOL_FORWARD, MIN_POOL_FORWARD, MAX_POOL_BACKWARD,
            AVG_POOL_BACKWARD)
