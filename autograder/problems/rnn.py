"""03_rnn: the vanilla RNN cell h_t = tanh(x_t Wx + h_{t-1} Wh + b), its backward pass, the
unrolled layer, backpropagation through time (BPTT) and truncated BPTT.

Shapes: x (N, T, D) (one step: (N, D)), h0 / h_prev (N, H), Wx (D, H), Wh (H, H), b (H,).
The oracle is the recurrence written in torch and differentiated by autograd; truncated BPTT
detaches the hidden state at each chunk boundary. `torch_rnn_oracle` computes the same forward
with `torch.nn.RNN` as an independent cross-check (tests only).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from autograder.oracle import torch, vjp     # torch: imported when an oracle runs
from autograder.registry import Case, Misconception, Problem

A = "03_rnn"


# ---------------------------------------------------------------- the recurrence, in torch
def _step(x, h_prev, Wx, Wh, b):
    return torch.tanh(x @ Wx + h_prev @ Wh + b)


@lru_cache(maxsize=None)
def _wrong_tanh():
    """Two tanh functions with a wrong backward (the mistakes), made on first use: as
    torch.autograd.Function subclasses they need torch imported."""
    class TanhPreactGrad(torch.autograd.Function):
        """tanh forward, but backward uses 1 - a^2 with a the pre-activation (the mistake)."""
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return torch.tanh(a)

        @staticmethod
        def backward(ctx, grad):
            a, = ctx.saved_tensors
            return grad * (1 - a * a)

    class TanhNoGrad(torch.autograd.Function):
        """tanh forward, but backward passes the gradient through unchanged (the mistake)."""
        @staticmethod
        def forward(ctx, a):
            return torch.tanh(a)

        @staticmethod
        def backward(ctx, grad):
            return grad

    return {"preact": TanhPreactGrad.apply, "nograd": TanhNoGrad.apply}


def _step_with(kind):
    return lambda x, h_prev, Wx, Wh, b: _wrong_tanh()[kind](x @ Wx + h_prev @ Wh + b)


_step_preact = _step_with("preact")
_step_nograd = _step_with("nograd")


def _unroll(x, h0, Wx, Wh, b, *, cut=lambda t: False, step=_step, carry=True):
    """h (N, T, H). `cut(t)` detaches the h_prev fed into step t (no gradient crosses there);
    carry=False feeds h0 to every step (the state is never carried forward)."""
    h, hs = h0, []
    for t in range(x.shape[1]):
        h_prev = h if carry else h0
        if t > 0 and cut(t):
            h_prev = h_prev.detach()
        h = step(x[:, t], h_prev, Wx, Wh, b)
        hs.append(h)
    if not hs:                                  # zero steps (used by a mimic)
        return h0.new_zeros((h0.shape[0], 0, h0.shape[1]))
    return torch.stack(hs, dim=1)


def _grad_of(forward, inputs, upstream):
    """Autograd as the oracle: the gradients of <forward(*inputs), upstream> w.r.t. inputs
    (zeros for an input the output does not depend on)."""
    with torch.enable_grad():
        leaves = [t.detach().clone().requires_grad_(True) for t in inputs]
        out = forward(*leaves)
        single = not isinstance(out, (tuple, list))
        grads = vjp((out,) if single else out, leaves, (upstream,) if single else upstream)
    return tuple(torch.zeros_like(t) if g is None else g for t, g in zip(leaves, grads))


def torch_rnn_oracle(x, h0, Wx, Wh, b):
    """The same forward as rnn_forward, computed by torch.nn.RNN with the weights mapped:
    torch computes tanh(x W_ih^T + b_ih + h W_hh^T + b_hh). Differentiable w.r.t. every input."""
    D, H = Wx.shape
    rnn = torch.nn.RNN(D, H, nonlinearity="tanh", batch_first=True, dtype=x.dtype, device=x.device)
    params = {"weight_ih_l0": Wx.T, "weight_hh_l0": Wh.T, "bias_ih_l0": b,
              "bias_hh_l0": torch.zeros_like(b)}
    out, _ = torch.func.functional_call(rnn, params, (x, h0[None]))
    return out


# ---------------------------------------------------------------- cases
def _params(rng, N, T, D, H, h0_zero=False):
    """x, h0, Wx, Wh, b at scales that keep tanh away from saturation."""
    x = rng.standard_normal((N, T, D))
    h0 = np.zeros((N, H)) if h0_zero else 0.5 * rng.standard_normal((N, H))
    Wx = 0.5 * rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = 0.5 * rng.standard_normal((H, H)) / np.sqrt(H)
    b = 0.2 * rng.standard_normal(H)
    return x, h0, Wx, Wh, b


def step_rows(hidden):
    rows = [(2, 3, 4), (3, 2, 5), (1, 4, 3)]                     # (N, D, H)
    if hidden:
        rows += [(3, 5, 2), (1, 4, 6), (4, 2, 3)]
    return rows


def step_forward_cases(rng, hidden):
    for N, D, H in step_rows(hidden):
        x, h0, Wx, Wh, b = _params(rng, N, 1, D, H)
        yield Case(f"N{N}_D{D}_H{H}", (x[:, 0], h0, Wx, Wh, b))


def step_backward_cases(rng, hidden):
    for N, D, H in step_rows(hidden):
        x, h0, Wx, Wh, b = _params(rng, N, 1, D, H)
        yield Case(f"N{N}_D{D}_H{H}", (rng.standard_normal((N, H)), x[:, 0], h0, Wx, Wh, b))


def seq_rows(hidden):
    rows = [(2, 3, 4, 5, False), (3, 4, 2, 3, False), (1, 2, 3, 2, True)]   # (N, T, D, H, h0 = 0)
    if hidden:
        rows += [(3, 5, 3, 4, False), (2, 1, 3, 2, False), (1, 6, 2, 3, False),
                 (4, 8, 5, 3, False), (2, 4, 3, 4, True)]
    return rows


def _seq_name(N, T, D, H, h0_zero):
    return f"N{N}_T{T}_D{D}_H{H}" + ("_h0zero" if h0_zero else "")


def forward_cases(rng, hidden):
    for N, T, D, H, h0_zero in seq_rows(hidden):
        yield Case(_seq_name(N, T, D, H, h0_zero), _params(rng, N, T, D, H, h0_zero))


def backward_cases(rng, hidden):
    for N, T, D, H, h0_zero in seq_rows(hidden):
        params = _params(rng, N, T, D, H, h0_zero)
        yield Case(_seq_name(N, T, D, H, h0_zero), (rng.standard_normal((N, T, H)),) + params)


def truncated_rows(hidden):
    rows = [(2, 6, 3, 4, 3), (2, 5, 4, 3, 2), (1, 7, 2, 3, 3)]  # (N, T, D, H, k)
    if hidden:
        rows += [(3, 7, 3, 4, 3),                               # T not a multiple of k
                 (2, 8, 2, 3, 2), (2, 5, 3, 2, 1),              # k < T, including k = 1
                 (2, 4, 3, 5, 4), (3, 3, 4, 2, 5),              # k == T, k > T: full BPTT
                 (2, 1, 3, 4, 1), (2, 1, 2, 3, 3)]              # T = 1
    return rows


def truncated_cases(rng, hidden):
    for N, T, D, H, k in truncated_rows(hidden):
        tag = "k_lt_T" if k < T else ("k_eq_T" if k == T else "k_gt_T")
        params = _params(rng, N, T, D, H)
        yield Case(f"N{N}_T{T}_D{D}_H{H}_k{k}_{tag}",
                   (rng.standard_normal((N, T, H)),) + params + (k,))


# ---------------------------------------------------------------- oracles
def _backward_of(**unroll_kw):
    """The BPTT gradients (dx, dh0, dWx, dWh, db) of <unroll(x, h0, ...), dh>."""
    def backward(dh, x, h0, Wx, Wh, b):
        return _grad_of(lambda *p: _unroll(*p, **unroll_kw), (x, h0, Wx, Wh, b), dh)
    return backward


def _step_backward_of(step):
    def backward(dh_next, x, h_prev, Wx, Wh, b):
        return _grad_of(step, (x, h_prev, Wx, Wh, b), dh_next)
    return backward


def _truncated_of(boundary):
    """Truncated BPTT whose gradient is cut before every step t > 0 with boundary(t, k)."""
    def backward(dh, x, h0, Wx, Wh, b, k):
        return _backward_of(cut=lambda t: boundary(t, k))(dh, x, h0, Wx, Wh, b)
    return backward


rnn_backward_oracle = _backward_of()
rnn_backward_truncated_oracle = _truncated_of(lambda t, k: t % k == 0)


# ---------------------------------------------------------------- misconceptions
PREACT = {
    "en": "The tanh derivative was taken at the pre-activation a = x Wx + h_prev Wh + b "
          "(1 - a^2). d tanh(a)/da = 1 - tanh(a)^2 = 1 - h^2: use the output h of the step.",
    "ko": "tanh의 미분을 활성화 전 값(pre-activation) a = x Wx + h_prev Wh + b로 계산했습니다"
          "(1 - a^2). d tanh(a)/da = 1 - tanh(a)^2 = 1 - h^2 이므로 그 시점의 출력 h를 사용해야 "
          "합니다."}
NO_DERIVATIVE = {
    "en": "The tanh derivative is missing: the upstream gradient was passed through tanh "
          "unchanged. Multiply it by 1 - h^2 first: da = dh * (1 - h^2).",
    "ko": "tanh의 미분이 빠졌습니다: 상류 기울기(upstream gradient)를 그대로 tanh 아래로 "
          "전달했습니다. 먼저 1 - h^2를 곱하세요: da = dh * (1 - h^2)."}


def _last_step_only(dh, x, h0, Wx, Wh, b):
    last = torch.zeros_like(dh)
    last[:, -1] = dh[:, -1]
    return rnn_backward_oracle(last, x, h0, Wx, Wh, b)


def _params_overwritten(dh, x, h0, Wx, Wh, b):
    """dx, dh0 right; dWx, dWh, db hold only the last step the backward loop visits (t = 0)."""
    dx, dh0, *_ = rnn_backward_oracle(dh, x, h0, Wx, Wh, b)

    def from_preactivation0(a0):                # h as a function of step 0's pre-activation
        h1 = torch.tanh(a0)
        return torch.cat([h1[:, None], _unroll(x[:, 1:], h1, Wx, Wh, b)], dim=1)

    da0, = _grad_of(from_preactivation0, (x[:, 0] @ Wx + h0 @ Wh + b,), dh)
    return dx, dh0, x[:, 0].T @ da0, h0.T @ da0, da0.sum(0)


def _per_step(dh, x, h0, Wx, Wh, b, cut=lambda t: False):
    """dWx, dWh and db split by time step: each step's own use of the shared weights (a copy
    of them per step, differentiated by autograd); they sum to BPTT's gradients."""
    T = x.shape[1]
    with torch.enable_grad():
        copies = [[p.detach().clone().requires_grad_(True) for _ in range(T)] for p in (Wx, Wh, b)]
        h, hs = h0, []
        for t in range(T):
            h_prev = h.detach() if t > 0 and cut(t) else h
            h = _step(x[:, t], h_prev, copies[0][t], copies[1][t], copies[2][t])
            hs.append(h)
        grads = vjp((torch.stack(hs, dim=1),), [p for c in copies for p in c], (dh,))
    return "step", {"dWx": list(grads[:T]), "dWh": list(grads[T:2 * T]), "db": list(grads[2 * T:])}


STEP_FORWARD = Problem(
    "rnn_step_forward", A, "(x, h_prev, Wx, Wh, b) -> h_next", step_forward_cases, oracle=_step,
    outputs=("h_next",),
    misconceptions=(
        Misconception("tanh_missing", {
            "en": "The activation is missing: the step returns x Wx + h_prev Wh + b. "
                  "The hidden state is h_next = tanh(x Wx + h_prev Wh + b).",
            "ko": "활성화 함수(activation function)가 빠졌습니다: x Wx + h_prev Wh + b를 그대로 "
                  "반환했습니다. 은닉 상태(hidden state)는 h_next = tanh(x Wx + h_prev Wh + b)입니다."},
            mimic=lambda x, h_prev, Wx, Wh, b: x @ Wx + h_prev @ Wh + b),
    ))

STEP_BACKWARD = Problem(
    "rnn_step_backward", A, "(dh_next, x, h_prev, Wx, Wh, b) -> (dx, dh_prev, dWx, dWh, db)",
    step_backward_cases, oracle=_step_backward_of(_step),
    outputs=("dx", "dh_prev", "dWx", "dWh", "db"),
    misconceptions=(
        Misconception("tanh_derivative_on_preactivation", PREACT, _step_backward_of(_step_preact)),
        Misconception("tanh_derivative_missing", NO_DERIVATIVE, _step_backward_of(_step_nograd)),
    ))

FORWARD = Problem(
    "rnn_forward", A, "(x, h0, Wx, Wh, b) -> h", forward_cases, oracle=_unroll, outputs=("h",),
    misconceptions=(
        Misconception("state_not_carried", {
            "en": "Every step was fed h0 instead of the previous step's hidden state. The state is "
                  "carried forward: h_t = tanh(x_t Wx + h_{t-1} Wh + b), with h_{t-1} from step t-1.",
            "ko": "매 시점(time step)에 이전 시점의 은닉 상태(hidden state) 대신 h0를 넣었습니다. "
                  "은닉 상태는 다음 시점으로 전달됩니다: h_t = tanh(x_t Wx + h_{t-1} Wh + b), "
                  "h_{t-1}은 t-1 시점의 출력입니다."},
            mimic=lambda x, h0, Wx, Wh, b: _unroll(x, h0, Wx, Wh, b, carry=False)),
    ))

BACKWARD = Problem(
    "rnn_backward", A, "(dh, x, h0, Wx, Wh, b) -> (dx, dh0, dWx, dWh, db)", backward_cases,
    oracle=rnn_backward_oracle, outputs=("dx", "dh0", "dWx", "dWh", "db"),
    misconceptions=(
        Misconception("last_step_only", {
            "en": "Only the last step's upstream gradient dh[:, -1] was used. Every hidden state h_t "
                  "has its own upstream gradient (a loss at every time step): at step t the "
                  "gradient is dh[:, t] plus what flows back from step t+1.",
            "ko": "마지막 시점의 상류 기울기(upstream gradient) dh[:, -1]만 사용했습니다. 모든 시점의 "
                  "은닉 상태(hidden state) h_t가 각자의 기울기를 받습니다(매 시점마다 손실 함수가 "
                  "계산됨): t 시점의 기울기는 dh[:, t]에 t+1 시점에서 돌아온 기울기를 더한 값입니다."},
            mimic=_last_step_only),
        Misconception("dWh_not_summed", {
            "en": "dWx, dWh and db were overwritten at each step, so they hold only one step's "
                  "contribution (t = 0, the last one the backward loop visits). The weights are "
                  "shared by every time step: backpropagation through time (BPTT) sums their "
                  "gradients over t (+=, not =).",
            "ko": "dWx, dWh, db를 매 시점마다 덮어써서 한 시점(역방향 루프가 마지막으로 방문한 "
                  "t = 0)의 값만 남았습니다. 가중치(weight)는 모든 시점이 공유하므로 시간에 따른 "
                  "역전파(BPTT)는 모든 시점의 기울기를 더합니다(=가 아니라 +=)."},
            mimic=_params_overwritten, parts=_per_step),
        Misconception("dh_prev_dropped", {
            "en": "The gradient flowing from h_t back to h_{t-1} was dropped: each step used only "
                  "dh[:, t]. At step t the upstream gradient is dh[:, t] + dh_prev, where dh_prev "
                  "comes from step t+1.",
            "ko": "h_t에서 h_{t-1}로 흘러가는 기울기(gradient)를 버렸습니다: 각 시점에서 dh[:, t]만 "
                  "사용했습니다. t 시점의 상류 기울기(upstream gradient)는 dh[:, t] + dh_prev이며, "
                  "dh_prev는 t+1 시점에서 옵니다."},
            mimic=_backward_of(cut=lambda t: True)),
        Misconception("tanh_derivative_on_preactivation", PREACT, _backward_of(step=_step_preact)),
    ))

TRUNCATED = Problem(
    "rnn_backward_truncated", A, "(dh, x, h0, Wx, Wh, b, k) -> (dx, dh0, dWx, dWh, db)",
    truncated_cases, oracle=rnn_backward_truncated_oracle,
    outputs=("dx", "dh0", "dWx", "dWh", "db"),
    misconceptions=(
        Misconception("boundary_off_by_one", {
            "en": "The chunk boundaries are off by one step. The chunks are t = 0..k-1, k..2k-1, ...: "
                  "no gradient flows from step k back into h_{k-1}, from step 2k into h_{2k-1}, "
                  "and so on (the cut is before step t where t % k == 0, t > 0).",
            "ko": "구간(chunk)의 경계가 한 시점 어긋났습니다. 구간은 t = 0..k-1, k..2k-1, ...입니다: "
                  "k 시점에서 h_{k-1}로, 2k 시점에서 h_{2k-1}로 기울기가 흐르지 않습니다"
                  "(t % k == 0이고 t > 0인 시점 앞에서 끊음)."},
            # the cut lands one step late: before steps 1, k+1, 2k+1, ...
            mimic=_truncated_of(lambda t, k: (t - 1) % k == 0)),
        Misconception("no_truncation", {
            "en": "The gradient was not truncated: this is full BPTT. In truncated BPTT the forward "
                  "pass runs unbroken, but the backward pass stops at every chunk boundary of k steps.",
            "ko": "기울기를 자르지 않았습니다: 전체 BPTT와 같습니다. 잘린 BPTT(truncated BPTT)에서 "
                  "순전파(forward)는 끊지 않고 진행하지만, 역전파(backward)는 k 시점마다 구간 경계에서 "
                  "멈춥니다."},
            mimic=lambda dh, x, h0, Wx, Wh, b, k: rnn_backward_oracle(dh, x, h0, Wx, Wh, b)),
    ))

PROBLEMS = (STEP_FORWARD, STEP_BACKWARD, FORWARD, BACKWARD, TRUNCATED)
