"""05_cnn: the layers a CNN classifier needs besides convolution and pooling (ReLU, the affine
(fully connected) layer, softmax cross-entropy), parameter counts, the whole network's loss and
gradients, and its training by minibatch SGD on the 8x8 handwritten digits.

The network (CS231n's conventions): conv 3x3 stride 1 pad 1 (W1 (F, C, 3, 3), b1) -> ReLU ->
2x2 max pool stride 2 -> affine (W2 (F*H/2*W/2, Hd), b2; the pooled maps flattened in C order,
as torch's flatten(1)) -> ReLU -> affine (W3 (Hd, K), b3). `params` and `grads` are dicts with
the keys W1 b1 W2 b2 W3 b3; what a student returns in a dict comes back as its arrays in that
key order (Problem.returns).
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from autograder import digits
from autograder.registry import Case, Misconception, Problem, Tol

A = "05_cnn"
KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
GRADS = tuple(f"d{k}" for k in KEYS)

# the full-split run: the lecture network's sizes and the settings the notebook trains with
FILTERS, HIDDEN, CLASSES = 8, 64, 10
EPOCHS, LR, BATCH = 10, 0.1, 32
# the test accuracy the full run must reach. The reference reaches 92.8-96.9 % (mean 95.3 %)
# over 40 draws of this case (benchmarks/results/bench_cnn.txt); a correct submission meets a
# new draw each time and must never fail, so the bar sits below the worst draw: training up
# the gradient, or not at all, ends near 10 %
ACCURACY = 0.90


def _grad_of(forward, inputs, upstream):
    """Autograd as the oracle: the gradients of <forward(*inputs), upstream>."""
    with torch.enable_grad():
        leaves = [t.detach().clone().requires_grad_(True) for t in inputs]
        forward(*leaves).backward(upstream)
    return tuple(t.grad for t in leaves)


def init_params(rng, C, H, W, F_, Hd, K):
    """He-initialised weights and small random biases (zero biases would hide a bias bug)."""
    D = F_ * (H // 2) * (W // 2)
    return {"W1": rng.standard_normal((F_, C, 3, 3)) * np.sqrt(2 / (C * 9)),
            "b1": rng.standard_normal(F_) * 0.01,
            "W2": rng.standard_normal((D, Hd)) * np.sqrt(2 / D),
            "b2": rng.standard_normal(Hd) * 0.01,
            "W3": rng.standard_normal((Hd, K)) * np.sqrt(1 / Hd),
            "b3": rng.standard_normal(K) * 0.01}


# ---------------------------------------------------------------- relu_forward / relu_backward
def _with_zeros(rng, shape):
    """Random values, a quarter of them exactly 0 (ReLU's kink: its gradient there is 0)."""
    x = rng.standard_normal(shape)
    x[rng.random(shape) < 0.25] = 0.0
    return x


RELU_SHAPES = [(2, 3, 4, 5), (5, 7)]
RELU_HIDDEN = [(3, 2, 3, 3), (1, 6), (4, 1, 2, 6)]


def relu_cases(rng, hidden):
    yield Case("lecture_2x4", (np.array([[-2.0, -0.5, 0.0, 0.5], [1.0, 0.0, -1.0, 3.0]]),))
    for shape in RELU_SHAPES + (RELU_HIDDEN if hidden else []):
        yield Case("x" + "x".join(map(str, shape)), (_with_zeros(rng, shape),))


def relu_backward_cases(rng, hidden):
    for case in relu_cases(rng, hidden):
        x = case.args[0]
        yield Case(case.name, (rng.standard_normal(x.shape), x))


RELU_FORWARD = Problem("relu_forward", A, "(x) -> out", relu_cases, F.relu)

RELU_BACKWARD = Problem(
    "relu_backward", A, "(dout, x) -> dx", relu_backward_cases,
    oracle=lambda dout, x: _grad_of(F.relu, (x,), dout)[0], outputs=("dx",),
    misconceptions=(
        Misconception("ge_zero", {
            "en": "The gradient passed where x >= 0; at x = 0 ReLU is flat from the left and "
                  "PyTorch (like the lectures) uses 0 there: dx = dout * (x > 0).",
            "ko": "x >= 0인 곳에 기울기(gradient)를 흘렸습니다. x = 0에서 ReLU의 기울기는 0으로 둡니다(PyTorch와 "
                  "강의 모두): dx = dout * (x > 0)."},
            mimic=lambda dout, x: dout * (x >= 0)),
        Misconception("times_output", {
            "en": "dout was multiplied by ReLU's output (the value max(0, x)) instead of by its "
                  "derivative, the indicator (x > 0), which is 1 where x is positive and 0 elsewhere.",
            "ko": "dout에 ReLU의 출력값 max(0, x)를 곱했습니다. 곱할 것은 도함수, 즉 x > 0이면 1이고 아니면 0인 "
                  "지시 함수(x > 0)입니다."},
            mimic=lambda dout, x: dout * F.relu(x)),
    ))


# ---------------------------------------------------------------- affine_forward / affine_backward
AFFINE_ROWS = [((2, 3, 2, 2), 4), ((3, 5), 2)]          # (x shape, M)
AFFINE_HIDDEN = [((4, 2, 3, 1), 3), ((1, 3, 2, 3), 5), ((5, 7), 6)]


def affine_cases(rng, hidden):
    for shape, M in AFFINE_ROWS + (AFFINE_HIDDEN if hidden else []):
        D = int(np.prod(shape[1:]))
        yield Case("x" + "x".join(map(str, shape)) + f"_M{M}",
                   (rng.standard_normal(shape), rng.standard_normal((D, M)), rng.standard_normal(M)))


def affine_backward_cases(rng, hidden):
    for case in affine_cases(rng, hidden):
        x, w, b = case.args
        yield Case(case.name, (rng.standard_normal((x.shape[0], w.shape[1])), x, w, b))


def _affine(x, w, b):
    return F.linear(x.flatten(1), w.T, b)


def _affine_backward(dout, x, w, b):
    return _grad_of(_affine, (x, w, b), dout)


AFFINE_FORWARD = Problem(
    "affine_forward", A, "(x, w, b) -> out", affine_cases, _affine,
    misconceptions=(
        Misconception("channels_last_flatten", {
            "en": "x was flattened with its channels last (N, H, W, C): flatten (N, C, H, W) in its "
                  "own order, x.reshape(N, -1), so that row d of w meets the same pixel as in torch's "
                  "flatten(1).",
            "ko": "x를 채널(channel)이 마지막인 (N, H, W, C) 순서로 펼쳤습니다. (N, C, H, W)를 그 순서 그대로 "
                  "x.reshape(N, -1)로 펼쳐야 w의 d번째 행이 torch의 flatten(1)과 같은 픽셀을 만납니다."},
            mimic=lambda x, w, b: F.linear(
                (x.permute(0, 2, 3, 1) if x.dim() == 4 else x).reshape(x.shape[0], -1), w.T, b)),
    ))

AFFINE_BACKWARD = Problem(
    "affine_backward", A, "(dout, x, w, b) -> (dx, dw, db)", affine_backward_cases,
    _affine_backward, outputs=("dx", "dw", "db"),
    misconceptions=(
        Misconception("dx_not_reshaped", {
            "en": "dx was returned flat, (N, D): it is the gradient of x, so reshape it back to x's "
                  "shape, (N, C, H, W) after a convolution layer (dx.reshape(x.shape)).",
            "ko": "dx를 펼친 모양 (N, D) 그대로 돌려주었습니다. dx는 x에 대한 기울기(gradient)이므로 x의 모양, "
                  "합성곱 층 다음이라면 (N, C, H, W)로 되돌려야 합니다 (dx.reshape(x.shape))."},
            mimic=lambda dout, x, w, b: (dout @ w.T, *_affine_backward(dout, x, w, b)[1:])),
        Misconception("db_averaged", {
            "en": "db was averaged over the batch: the bias is added to every one of the N rows, so "
                  "its gradient is the sum of dout over the rows (the mean is already in dout).",
            "ko": "db를 배치(batch)에 대해 평균 냈습니다. 편향(bias)은 N개의 행 모두에 더해지므로 기울기는 "
                  "dout의 행 방향 합입니다 (평균은 이미 dout에 들어 있습니다)."},
            mimic=lambda dout, x, w, b: (*_affine_backward(dout, x, w, b)[:2],
                                         dout.sum(0) / x.shape[0])),
    ))


# ---------------------------------------------------------------- softmax_cross_entropy
SOFTMAX_ROWS = [(4, 3, 3.0), (6, 5, 2.0)]                  # (N, K, largest |score|)
SOFTMAX_HIDDEN = [(5, 10, 4.0), (3, 4, 1000.0), (8, 10, 1000.0), (2, 2, 50.0)]


def softmax_cases(rng, hidden):
    for N, K, scale in SOFTMAX_ROWS + (SOFTMAX_HIDDEN if hidden else []):
        scores = rng.uniform(-scale, scale, (N, K))
        yield Case(f"N{N}_K{K}_scale{scale:g}", (scores, rng.integers(0, K, N)))


def _softmax_ce(scores, y):
    (dscores,) = _grad_of(lambda s: F.cross_entropy(s, y), (scores,), torch.ones((), dtype=scores.dtype,
                                                                                  device=scores.device))
    return F.cross_entropy(scores, y), dscores


def _naive_softmax_ce(scores, y):
    """Softmax straight from exp(scores): exp(1000) is inf, inf / inf is NaN."""
    N = scores.shape[0]
    e = torch.exp(scores)
    p = e / e.sum(dim=1, keepdim=True)
    rows = torch.arange(N, device=scores.device)
    d = p.clone()
    d[rows, y] -= 1
    return -torch.log(p[rows, y]).mean(), d / N


def _scaled(fn, loss_factor, grad_factor):
    """fn's (loss, *grads) with the loss and the gradients multiplied by N-dependent factors."""
    def scaled(*args):
        N = args[1].shape[0] if args[1].dim() == 1 else args[0].shape[0]
        loss, *grads = fn(*args)
        return (loss * N ** loss_factor, *[g * N ** grad_factor for g in grads])
    return scaled


SUMMED = {"en": "The loss was summed over the batch instead of averaged: loss = (1/N) sum_i L_i, and "
                "so dscores carries the 1/N too.",
          "ko": "손실(loss)을 배치(batch)에 대해 평균 내지 않고 합했습니다: loss = (1/N) sum_i L_i이고, 그래서 "
                "dscores에도 1/N이 붙습니다."}
NOT_DIVIDED = {"en": "The loss is averaged but dscores was not divided by N: the gradient of a mean "
                     "carries its 1/N, dscores = (softmax(scores) - onehot(y)) / N.",
               "ko": "손실(loss)은 평균을 냈지만 dscores를 N으로 나누지 않았습니다. 평균의 기울기에는 1/N이 "
                     "붙습니다: dscores = (softmax(scores) - onehot(y)) / N."}

SOFTMAX_CROSS_ENTROPY = Problem(
    "softmax_cross_entropy", A, "(scores, y) -> (loss, dscores)", softmax_cases, _softmax_ce,
    outputs=("loss", "dscores"),
    misconceptions=(
        Misconception("no_max_subtraction", {
            "en": "exp(scores) overflows: exp(1000) is inf in float64 (exp(89) in float32), and inf / "
                  "inf is NaN. Subtract each row's maximum first; softmax does not change "
                  "(the factor exp(-max) cancels), and every exponent is then <= 0.",
            "ko": "exp(scores)가 오버플로(overflow)했습니다: float64에서 exp(1000)은 inf(float32는 exp(89)), "
                  "inf / inf는 NaN입니다. 먼저 각 행의 최댓값을 빼세요. exp(-max)가 분자와 분모에서 약분되어 "
                  "softmax는 변하지 않고, 모든 지수가 0 이하가 됩니다."},
            mimic=_naive_softmax_ce),
        Misconception("loss_summed", SUMMED, mimic=_scaled(_softmax_ce, 1, 1)),
        Misconception("dscores_not_divided", NOT_DIVIDED, mimic=_scaled(_softmax_ce, 0, 1)),
    ))


# ---------------------------------------------------------------- parameter counts
def conv_count_cases(rng, hidden):
    rows = [(3, 32, 3, 3), (1, 16, 3, 3), (2, 4, 5, 3)]                 # (C, F, FH, FW)
    if hidden:
        rows += [(3, 64, 5, 5), (16, 32, 3, 3), (1, 1, 1, 1), (64, 128, 3, 3), (6, 8, 2, 4)]
    for C, F_, FH, FW in rows:
        yield Case(f"C{C}_F{F_}_{FH}x{FW}", (C, F_, FH, FW))


def fc_count_cases(rng, hidden):
    rows = [(28 * 28, 100), (256, 64), (64, 10)]                         # (D, M)
    if hidden:
        rows += [(32 * 32 * 3, 100), (1, 1), (4096, 1000), (120, 84)]
    for D, M in rows:
        yield Case(f"D{D}_M{M}", (D, M))


def _numel(module):
    return torch.tensor(sum(p.numel() for p in module.parameters()))


CONV_PARAM_COUNT = Problem(
    "conv_param_count", A, "(C, F, FH, FW) -> count", conv_count_cases,
    oracle=lambda C, F_, FH, FW: _numel(torch.nn.Conv2d(C, F_, (FH, FW), device="meta")),
    outputs=("count",), float32=False,
    misconceptions=(
        Misconception("bias_forgotten", {
            "en": "The biases are missing: each of the F filters has one bias besides its C*FH*FW "
                  "weights, so the count is F * (C*FH*FW + 1).",
            "ko": "편향(bias)이 빠졌습니다: F개의 필터마다 가중치 C*FH*FW개와 편향 1개가 있으므로 "
                  "F * (C*FH*FW + 1)개입니다."},
            mimic=lambda C, F_, FH, FW: torch.tensor(F_ * C * FH * FW)),
        Misconception("channels_forgotten", {
            "en": "The input channels are missing: a filter spans every input channel, so it has "
                  "C*FH*FW weights, not FH*FW.",
            "ko": "입력 채널(channel)이 빠졌습니다: 필터는 입력의 모든 채널에 걸치므로 가중치가 FH*FW개가 아니라 "
                  "C*FH*FW개입니다."},
            mimic=lambda C, F_, FH, FW: torch.tensor(F_ * (FH * FW + 1))),
    ))

FC_PARAM_COUNT = Problem(
    "fc_param_count", A, "(D, M) -> count", fc_count_cases,
    oracle=lambda D, M: _numel(torch.nn.Linear(D, M, device="meta")),
    outputs=("count",), float32=False,
    misconceptions=(
        Misconception("bias_forgotten", {
            "en": "The biases are missing: each of the M outputs has one bias besides its D weights, "
                  "so the count is D*M + M.",
            "ko": "편향(bias)이 빠졌습니다: M개의 출력마다 가중치 D개와 편향 1개가 있으므로 D*M + M개입니다."},
            mimic=lambda D, M: torch.tensor(D * M)),
    ))


# ---------------------------------------------------------------- the network
def network(x, p):
    """The network in torch: the oracle of cnn_forward, and of everything built on it."""
    h = F.max_pool2d(F.relu(F.conv2d(x, p["W1"], p["b1"], padding=1)), 2, 2)
    h = F.relu(F.linear(h.flatten(1), p["W2"].T, p["b2"]))
    return F.linear(h, p["W3"].T, p["b3"])


def _loss_and_grads(x, y, p):
    """(loss, dW1, db1, ..., db3): the cross-entropy's mean over the batch, by autograd."""
    with torch.enable_grad():
        leaves = {k: p[k].detach().clone().requires_grad_(True) for k in KEYS}
        loss = F.cross_entropy(network(x, leaves), y)
        grads = torch.autograd.grad(loss, [leaves[k] for k in KEYS])
    return (loss.detach(), *grads)


NET_ROWS = [(2, 2, 4, 6, 3, 5, 4), (3, 1, 6, 4, 2, 4, 3)]          # (N, C, H, W, F, Hd, K)
NET_HIDDEN = [(4, 3, 6, 6, 4, 6, 5), (5, 1, 8, 8, 3, 7, 10), (2, 2, 2, 4, 2, 3, 2)]


def network_cases(rng, hidden):
    for N, C, H, W, F_, Hd, K in NET_ROWS + (NET_HIDDEN if hidden else []):
        x = rng.standard_normal((N, C, H, W))
        yield Case(f"N{N}C{C}_{H}x{W}_F{F_}_Hd{Hd}_K{K}",
                   (x, rng.integers(0, K, N), init_params(rng, C, H, W, F_, Hd, K)))


def forward_cases(rng, hidden):
    for case in network_cases(rng, hidden):
        yield Case(case.name, (case.args[0], case.args[2]))


CNN_FORWARD = Problem(
    "cnn_forward", A, "(x, params) -> scores", forward_cases, network, outputs=("scores",),
    misconceptions=(
        Misconception("softmax_applied", {
            "en": "These are probabilities (softmax of the scores). cnn_forward returns the raw class "
                  "scores of the last affine layer; the softmax belongs to the loss.",
            "ko": "확률(점수의 softmax)을 돌려주었습니다. cnn_forward는 마지막 affine 층의 클래스 점수(score)를 "
                  "그대로 돌려주고, softmax는 손실(loss)에서 계산합니다."},
            mimic=lambda x, p: torch.softmax(network(x, p), dim=1)),
    ))

CNN_LOSS = Problem(
    "cnn_loss", A, "(x, y, params) -> (loss, grads)", network_cases, _loss_and_grads,
    outputs=("loss", *GRADS), returns=(None, KEYS),
    tolerance={"float64": Tol(rtol=1e-7, atol=1e-9), "float32": Tol(rtol=1e-4, atol=1e-5)},
    misconceptions=(
        Misconception("loss_summed", SUMMED, mimic=_scaled(_loss_and_grads, 1, 1)),
        Misconception("dscores_not_divided", NOT_DIVIDED, mimic=_scaled(_loss_and_grads, 0, 1)),
    ))


# ---------------------------------------------------------------- sgd_step
def sgd_cases(rng, hidden):
    rows = [(1, 4, 4, 3, 5, 3, 0.1), (2, 2, 6, 2, 4, 4, 0.5)]        # (C, H, W, F, Hd, K, lr)
    if hidden:
        rows += [(1, 8, 8, 4, 6, 10, 0.01), (3, 4, 2, 2, 3, 2, 2.0)]
    for C, H, W, F_, Hd, K, lr in rows:
        yield Case(f"C{C}_{H}x{W}_F{F_}_lr{lr:g}", (init_params(rng, C, H, W, F_, Hd, K),
                                                     init_params(rng, C, H, W, F_, Hd, K), lr))


SIGN = {"en": "The step went up the gradient (p + lr * g): the gradient points to where the loss "
              "grows, so SGD subtracts it, p - lr * g.",
        "ko": "기울기(gradient) 방향으로 올라갔습니다 (p + lr * g). 기울기는 손실(loss)이 커지는 방향이므로 "
              "SGD는 p - lr * g로 뺍니다."}

SGD_STEP = Problem(
    "sgd_step", A, "(params, grads, lr) -> params", sgd_cases,
    oracle=lambda p, g, lr: tuple(p[k] - lr * g[k] for k in KEYS), outputs=KEYS, returns=(KEYS,),
    misconceptions=(
        Misconception("lr_sign_flipped", SIGN,
                      mimic=lambda p, g, lr: tuple(p[k] + lr * g[k] for k in KEYS)),
    ))


# ---------------------------------------------------------------- train
def _train(x, y, params, epochs, lr, batch_size, seed, sign=-1, reseed=False, drop_last=False):
    """The same run in torch: DESIGN's shuffling (one generator seeded once, one permutation
    per epoch, a short last batch is a step too); the loss of each batch before its update."""
    p = {k: params[k].detach().clone() for k in KEYS}
    N = x.shape[0]
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        if reseed:
            rng = np.random.default_rng(seed)
        order = torch.from_numpy(rng.permutation(N)).to(x.device)
        stop = N - N % batch_size if drop_last else N
        for start in range(0, stop, batch_size):
            batch = order[start:start + batch_size]
            loss, *grads = _loss_and_grads(x[batch], y[batch], p)
            history.append(loss)
            p = {k: p[k] + sign * lr * g for k, g in zip(KEYS, grads)}
    return (*[p[k] for k in KEYS], torch.stack(history))


def digits_accuracy(outputs) -> float:
    """The share of the test images that the trained parameters (the first six outputs, as the
    sandbox returns them) classify right: computed in the grader, in torch."""
    x_test, y_test = digits.split()[2:]
    p = {k: torch.from_numpy(np.asarray(a, dtype=np.float64)) for k, a in zip(KEYS, outputs)}
    with torch.no_grad():
        scores = network(torch.from_numpy(np.array(x_test)), p)
    return float((scores.argmax(dim=1).numpy() == y_test).mean())


def _judge_accuracy(outputs):
    """(measured, required) for the full-split run; a shape a network cannot use is 0 %."""
    try:
        return digits_accuracy(outputs), ACCURACY
    except (RuntimeError, ValueError, IndexError, TypeError):
        return 0.0, ACCURACY


SMALL_RUNS = [(24, 2, 0.05, 10), (30, 3, 0.03, 8)]           # (N, epochs, lr, batch_size)
SMALL_HIDDEN = [(40, 3, 0.05, 16), (27, 2, 0.08, 5)]


def train_cases(rng, hidden):
    x_train, y_train = digits.split()[:2]
    for N, epochs, lr, batch in SMALL_RUNS + (SMALL_HIDDEN if hidden else []):
        pick = rng.choice(len(y_train), N, replace=False)
        yield Case(f"digits{N}_e{epochs}_lr{lr:g}_b{batch}",
                   (np.array(x_train[pick]), np.array(y_train[pick]),
                    init_params(rng, 1, 8, 8, 4, 16, CLASSES), epochs, lr, batch,
                    int(rng.integers(2**31))))
    if not hidden:                  # the full split trains at grading only (a few seconds)
        return
    yield Case(f"digits_full_e{EPOCHS}_lr{LR:g}_b{BATCH}",
               (np.array(x_train), np.array(y_train), init_params(rng, 1, 8, 8, FILTERS, HIDDEN, CLASSES),
                EPOCHS, LR, BATCH, int(rng.integers(2**31))), judge=_judge_accuracy)


TRAIN = Problem(
    "train", A, "(x_train, y_train, params, epochs, lr, batch_size, seed) -> (params, loss_history)",
    train_cases, _train, outputs=(*KEYS, "loss_history"), returns=(KEYS, None), float32=False,
    misconceptions=(
        Misconception("lr_sign_flipped", SIGN,
                      mimic=lambda *args: _train(*args, sign=+1)),
        Misconception("reseeded_every_epoch", {
            "en": "The generator was re-seeded every epoch, so every epoch visits the images in the "
                  "same order. Make rng = np.random.default_rng(seed) once, before the first epoch, "
                  "and draw rng.permutation(N) each epoch.",
            "ko": "에폭(epoch)마다 난수 생성기를 다시 시드(seed)해서 모든 에폭이 같은 순서로 이미지를 봅니다. "
                  "rng = np.random.default_rng(seed)는 첫 에폭 전에 한 번만 만들고, 에폭마다 "
                  "rng.permutation(N)을 뽑으세요."},
            mimic=lambda *args: _train(*args, reseed=True)),
        Misconception("last_batch_dropped", {
            "en": "The short last batch of each epoch was skipped: when N is not a multiple of "
                  "batch_size, the remaining order[s:s + batch_size] images are one more step.",
            "ko": "각 에폭(epoch)의 마지막 짧은 배치(batch)를 건너뛰었습니다. N이 batch_size의 배수가 아니면 남은 "
                  "order[s:s + batch_size] 이미지로 한 번 더 갱신합니다."},
            mimic=lambda *args: _train(*args, drop_last=True)),
    ))

PROBLEMS = (RELU_FORWARD, RELU_BACKWARD, AFFINE_FORWARD, AFFINE_BACKWARD, SOFTMAX_CROSS_ENTROPY,
            CONV_PARAM_COUNT, FC_PARAM_COUNT, CNN_FORWARD, CNN_LOSS, SGD_STEP, TRAIN)
