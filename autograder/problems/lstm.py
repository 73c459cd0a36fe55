"""04_lstm: the four gates, one LSTM step forward and backward, the unrolled layer and its
backpropagation through time.

The lecture's layout: z = [h_prev, x] of shape (N, H + D); a gate is sigmoid(z W^T + b) with
W (H, H + D); the candidate is tanh(z W_c^T + b_c). The full step stacks the four weight blocks
in the lecture's order f, i, g (candidate), o into W (4H, H + D) and b (4H,):
    c = f * c_prev + i * g,   h = o * tanh(c).

The step and sequence oracles are PyTorch's LSTM kernels (`torch.lstm_cell` and `torch.lstm`,
what `nn.LSTMCell` and `nn.LSTM(batch_first=True)` run), called as functions. PyTorch stacks its
gates i, f, g, o and splits the weight into weight_ih (acting on x) and weight_hh (acting on
h), so the lecture's W and b are remapped by `to_torch_lstm_weights`, a differentiable
indexing: autograd brings the gradients back to the lecture's W and b
(`from_torch_lstm_weights` is its inverse, for parameters). The mistakes are mimicked by the
lecture's formulas written in torch (`_lecture_step`), differentiated by autograd.
"""
from __future__ import annotations

import numpy as np

from autograder.oracle import torch, vjp     # torch: imported when an oracle runs
from autograder.registry import Case, Misconception, Problem

A = "04_lstm"

# The lecture stacks f, i, g, o (blocks 0..3); torch stacks i, f, g, o: torch's block j is the
# lecture's block _TO_TORCH[j], and the lecture's block k is torch's block _FROM_TORCH[k].
_TO_TORCH = (1, 0, 2, 3)
_FROM_TORCH = tuple(_TO_TORCH.index(k) for k in range(4))


def _blocks(order, H):
    return [k * H + r for k in order for r in range(H)]


# ---------------------------------------------------------------- weight remapping
def to_torch_lstm_weights(W, b, H, D):
    """The lecture's W (4H, H + D) (blocks f, i, g, o; columns [h_prev | x]) and b (4H,) as
    PyTorch's (weight_ih (4H, D), weight_hh (4H, H), bias_ih (4H,), bias_hh (4H,)), blocks
    i, f, g, o; bias_hh is zero. Torch tensors in, differentiable."""
    if tuple(W.shape) != (4 * H, H + D) or tuple(b.shape) != (4 * H,):
        raise ValueError(f"expected W (4H, H + D) = {(4 * H, H + D)} and b ({4 * H},), "
                         f"got {tuple(W.shape)} and {tuple(b.shape)}")
    rows = _blocks(_TO_TORCH, H)
    Wt = W[rows]
    return Wt[:, H:], Wt[:, :H], b[rows], torch.zeros_like(b)


def from_torch_lstm_weights(weight_ih, weight_hh, bias, H):
    """The inverse of `to_torch_lstm_weights`: (W, b) in the lecture's layout. `bias` is
    bias_ih + bias_hh for parameters; for gradients pass bias_ih's gradient alone (both
    biases receive the same gradient, and the lecture has one bias)."""
    rows = _blocks(_FROM_TORCH, H)
    return torch.cat([weight_hh, weight_ih], dim=1)[rows], bias[rows]


def _cell(W, b, H, D):
    """PyTorch's LSTM cell with the lecture's weights remapped: `torch.lstm_cell`, the kernel
    behind `nn.LSTMCell`, called as a function (no module to build per case). The remap is
    differentiable, so gradients reach the lecture's W and b directly."""
    w_ih, w_hh, b_ih, b_hh = to_torch_lstm_weights(W, b, H, D)
    return lambda x, state: torch.lstm_cell(x, state, w_ih, w_hh, b_ih, b_hh)


def _layer(W, b, H, D):
    """`torch.lstm`, the kernel behind `nn.LSTM(batch_first=True)`, one layer, as a function:
    (x, (h0, c0)) -> (h for every step, (h_T, c_T))."""
    params = to_torch_lstm_weights(W, b, H, D)

    def run(x, state):
        out, h_n, c_n = torch.lstm(x, state, params, True, 1, 0.0, False, False, True)
        return out, (h_n, c_n)
    return run


def _leaves(*tensors):
    return [t.detach().clone().requires_grad_(True) for t in tensors]


# ---------------------------------------------------------------- oracles
def gate_oracle(h_prev, x, W, b):
    return torch.sigmoid(torch.cat([h_prev, x], dim=1) @ W.T + b)


def candidate_oracle(h_prev, x, W, b):
    return torch.tanh(torch.cat([h_prev, x], dim=1) @ W.T + b)


def step_forward_oracle(x, h_prev, c_prev, W, b):
    H, D = h_prev.shape[1], x.shape[1]
    with torch.no_grad():
        return _cell(W, b, H, D)(x, (h_prev, c_prev))


def step_backward_oracle(dh_next, dc_next, x, h_prev, c_prev, W, b):
    H, D = h_prev.shape[1], x.shape[1]
    with torch.enable_grad():
        x, h_prev, c_prev, W, b = _leaves(x, h_prev, c_prev, W, b)
        h, c = _cell(W, b, H, D)(x, (h_prev, c_prev))
        return vjp((h, c), (x, h_prev, c_prev, W, b), (dh_next, dc_next))


def lstm_forward_oracle(x, h0, W, b):
    H, D = h0.shape[1], x.shape[2]
    with torch.no_grad():
        h, _ = _layer(W, b, H, D)(x, (h0[None], torch.zeros_like(h0)[None]))
    return h


def lstm_backward_oracle(dh, x, h0, W, b):
    H, D = h0.shape[1], x.shape[2]
    with torch.enable_grad():
        x, h0, W, b = _leaves(x, h0, W, b)
        h, _ = _layer(W, b, H, D)(x, (h0[None], torch.zeros_like(h0)[None]))
        return vjp((h,), (x, h0, W, b), (dh,))


# ---------------------------------------------------------------- the mistakes, in torch
def _lecture_step(x, h_prev, c_prev, W, b, mistake=None):
    """One step written from the lecture's formulas, with `mistake` (a misconception's name)
    made on purpose; mistake=None is the correct step."""
    H = h_prev.shape[1]
    z = torch.cat([x, h_prev] if mistake == "concat_order_swapped" else [h_prev, x], dim=1)
    a = z @ W.T + b
    af, ai, ag, ao = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
    if mistake == "gate_order_swapped":                 # W read as i, f, g, o
        af, ai = ai, af
    gate, squash = torch.sigmoid, torch.tanh
    if mistake == "sigmoid_tanh_swapped":
        gate, squash = torch.tanh, torch.sigmoid
    f, i, g, o = gate(af), gate(ai), squash(ag), gate(ao)
    if mistake == "forget_gate_ignored":
        c = c_prev + i * g
    elif mistake == "dc_prev_missing_forget":           # value f*c_prev, gradient to c_prev: 1
        c = f * c_prev.detach() + (c_prev - c_prev.detach()) + i * g
    else:
        c = f * c_prev + i * g
    if mistake == "h_without_tanh":
        h = o * c
    elif mistake == "dc_from_h_missing":                # h's gradient never reaches c
        h = o * squash(c.detach())
    else:
        h = o * squash(c)
    return h, c


_CUT_BETWEEN_STEPS = {"h_grad_not_carried": (True, False), "cell_grad_not_carried": (False, True)}


def _lecture_sequence(x, h0, W, b, mistake=None):
    """h (N, T, H) from `_lecture_step`; the sequence-level mistakes: the cell state reset to
    zero at every step, or no gradient carried back through h or through c between steps."""
    cut_h, cut_c = _CUT_BETWEEN_STEPS.get(mistake, (False, False))
    h, c, hs = h0, torch.zeros_like(h0), []
    for t in range(x.shape[1]):
        if mistake == "cell_state_not_carried":
            c = torch.zeros_like(h0)
        h, c = _lecture_step(x[:, t], h, c, W, b, mistake)
        hs.append(h)
        h = h.detach() if cut_h else h
        c = c.detach() if cut_c else c
    return torch.stack(hs, dim=1)


def _grads(outputs_of, inputs, upstream):
    """The gradients of sum_k <outputs_of(*inputs)[k], upstream[k]> w.r.t. every input."""
    with torch.enable_grad():
        leaves = _leaves(*inputs)
        outputs = outputs_of(*leaves)
        single = not isinstance(outputs, (tuple, list))
        grads = vjp((outputs,) if single else outputs, leaves, (upstream,) if single else upstream)
    return tuple(torch.zeros_like(t) if g is None else g.detach() for t, g in zip(leaves, grads))


def _step_forward_with(mistake):
    def mimic(x, h_prev, c_prev, W, b):
        with torch.no_grad():
            return _lecture_step(x, h_prev, c_prev, W, b, mistake)
    return mimic


def _step_backward_with(mistake):
    def mimic(dh_next, dc_next, x, h_prev, c_prev, W, b):
        step = lambda *args: _lecture_step(*args, mistake=mistake)
        return _grads(step, (x, h_prev, c_prev, W, b), (dh_next, dc_next))
    return mimic


def _forward_with(mistake):
    def mimic(x, h0, W, b):
        with torch.no_grad():
            return _lecture_sequence(x, h0, W, b, mistake)
    return mimic


def _backward_with(mistake):
    def mimic(dh, x, h0, W, b):
        sequence = lambda *args: _lecture_sequence(*args, mistake=mistake)
        return _grads(sequence, (x, h0, W, b), dh)
    return mimic


# ---------------------------------------------------------------- misconception texts
TEXT = {
    "concat_order_swapped": {
        "en": "The concatenation is in the wrong order: the lecture stacks z = [h_prev, x] (h_prev first, "
              "then x), so the first H columns of W act on h_prev and the last D columns on x.",
        "ko": "연결(concatenation) 순서가 바뀌었습니다: 강의는 z = [h_prev, x]로 h_prev를 먼저, x를 나중에 "
              "붙입니다. 그래서 W의 앞 H개 열은 h_prev에, 뒤 D개 열은 x에 곱해집니다."},
    "sigmoid_tanh_swapped": {
        "en": "sigmoid and tanh are swapped: the three gates (forget, input, output) use sigmoid, so they "
              "lie in [0, 1]; the candidate cell g and the cell output tanh(c) use tanh, in [-1, 1].",
        "ko": "시그모이드(sigmoid)와 tanh가 뒤바뀌었습니다: 세 게이트(forget, input, output gate)는 "
              "sigmoid를 써서 0과 1 사이 값이고, 후보 셀(candidate cell) g와 셀 출력 tanh(c)는 tanh를 써서 "
              "-1과 1 사이 값입니다."},
    "gate_order_swapped": {
        "en": "The gate blocks of W were read in PyTorch's order i, f, g, o. This course stacks them in the "
              "lecture's order f, i, g, o: rows 0..H-1 of W and b are the forget gate, H..2H-1 the input "
              "gate, then the candidate g, then the output gate.",
        "ko": "W의 게이트 블록을 PyTorch 순서(i, f, g, o)로 읽었습니다. 이 과제는 강의 순서 f, i, g, o로 "
              "쌓습니다: W와 b의 0..H-1행은 망각 게이트(forget gate), H..2H-1행은 입력 게이트(input gate), "
              "그다음 후보 셀(candidate) g, 마지막이 출력 게이트(output gate)입니다."},
    "forget_gate_ignored": {
        "en": "The forget gate was left out of the cell update: c = f * c_prev + i * g. Without f the old "
              "cell state is never forgotten.",
        "ko": "셀 상태(cell state) 갱신에서 망각 게이트(forget gate)가 빠졌습니다: c = f * c_prev + i * g "
              "입니다. f가 없으면 이전 셀 상태를 전혀 잊지 못합니다."},
    "h_without_tanh": {
        "en": "The hidden state skips the tanh: h = o * tanh(c), not o * c.",
        "ko": "은닉 상태(hidden state)에서 tanh가 빠졌습니다: h = o * c가 아니라 h = o * tanh(c)입니다."},
    "dc_prev_missing_forget": {
        "en": "dc_prev misses the forget gate: c = f * c_prev + i * g, so the gradient reaching c_prev is "
              "dc * f, where dc = dc_next + dh_next * o * (1 - tanh(c)^2).",
        "ko": "dc_prev에 망각 게이트(forget gate)가 빠졌습니다: c = f * c_prev + i * g이므로 c_prev로 가는 "
              "기울기(gradient)는 dc * f이고, dc = dc_next + dh_next * o * (1 - tanh(c)^2)입니다."},
    "dc_from_h_missing": {
        "en": "The gradient of c lacks the path through h: h = o * tanh(c), so dc = dc_next + dh_next * o * "
              "(1 - tanh(c)^2), not dc_next alone.",
        "ko": "c의 기울기(gradient)에 h를 거치는 경로가 빠졌습니다: h = o * tanh(c)이므로 dc = dc_next + "
              "dh_next * o * (1 - tanh(c)^2)이고, dc_next만으로는 부족합니다."},
    "cell_state_not_carried": {
        "en": "The cell state was not carried from step to step: each step starts from the previous step's "
              "c (only the first step starts from c0 = 0).",
        "ko": "셀 상태(cell state)를 다음 시점(time step)으로 넘기지 않았습니다: 각 시점은 직전 시점의 c에서 "
              "시작합니다(첫 시점만 c0 = 0)."},
    "h_grad_not_carried": {
        "en": "The gradient flowing back through h was dropped: at step t, dh is dh[:, t] plus the dh_prev "
              "returned by step t + 1, since h_t also feeds the next step.",
        "ko": "h를 통해 되돌아오는 기울기(gradient)를 버렸습니다: h_t는 다음 시점에도 쓰이므로 시점 t의 dh는 "
              "dh[:, t]에 시점 t + 1이 돌려준 dh_prev를 더한 값입니다."},
    "cell_grad_not_carried": {
        "en": "The gradient flowing back through the cell state was dropped: the dc_prev of step t + 1 is "
              "the dc_next of step t (it is zero only after the last step).",
        "ko": "셀 상태(cell state)를 통해 되돌아오는 기울기(gradient)를 버렸습니다: 시점 t + 1의 dc_prev가 "
              "시점 t의 dc_next입니다(마지막 시점 뒤에서만 0)."},
}


TEXT["dW_not_summed"] = {
    "en": "dW and db hold only one step's contribution: they were assigned (=) at each step, or taken "
          "from one step, instead of summed over time. W and b are shared by every time step, so "
          "backpropagation through time (BPTT) adds each step's dW_t and db_t (+=).",
    "ko": "dW와 db에 한 시점(time step)의 기여만 남았습니다: 매 시점마다 대입(=)했거나 한 시점의 값만 "
          "가져왔습니다. W와 b는 모든 시점이 공유하므로 시간에 따른 역전파(BPTT)는 각 시점의 dW_t와 "
          "db_t를 더합니다(+=)."}


def _per_step(dh, x, h0, W, b):
    """dW and db split by time step: each step's own use of the shared weights (a copy of
    them per step, differentiated by autograd); they sum to BPTT's dW and db."""
    T = x.shape[1]
    with torch.enable_grad():
        Ws = [W.detach().clone().requires_grad_(True) for _ in range(T)]
        bs = [b.detach().clone().requires_grad_(True) for _ in range(T)]
        h, c, hs = h0, torch.zeros_like(h0), []
        for t in range(T):
            h, c = _lecture_step(x[:, t], h, c, Ws[t], bs[t])
            hs.append(h)
        grads = torch.autograd.grad(torch.stack(hs, dim=1), Ws + bs, dh)
    return "step", {"dW": list(grads[:T]), "db": list(grads[T:])}


def _params_overwritten(dh, x, h0, W, b):
    """dx, dh0 right; dW, db from the last step the backward loop visits (t = 0) only."""
    dx, dh0, _, _ = lstm_backward_oracle(dh, x, h0, W, b)
    _, parts = _per_step(dh, x, h0, W, b)
    return dx, dh0, parts["dW"][0], parts["db"][0]


def _mis(name, mimic):
    return Misconception(name, TEXT[name], mimic)


# ---------------------------------------------------------------- cases
def _params(rng, N, D, H, T=None, zero_state=False):
    """x, h_prev, c_prev, W (4H, H + D), b (4H,), scaled so that no gate saturates.
    With T, x is (N, T, D)."""
    x = rng.standard_normal((N, D) if T is None else (N, T, D))
    h = np.zeros((N, H)) if zero_state else np.tanh(rng.standard_normal((N, H)))
    c = np.zeros((N, H)) if zero_state else rng.standard_normal((N, H))
    W = 0.5 * rng.standard_normal((4 * H, H + D)) / np.sqrt(H + D)
    b = 0.2 * rng.standard_normal(4 * H)
    return x, h, c, W, b


def step_rows(hidden):
    rows = [(2, 3, 4, False)]                                    # (N, D, H, h_prev = c_prev = 0)
    if hidden:
        rows += [(3, 5, 2, False), (4, 2, 5, False), (1, 3, 3, False), (2, 4, 3, True)]
    return rows


def _step_name(N, D, H, zero_state):
    return f"N{N}_D{D}_H{H}" + ("_zero_state" if zero_state else "")


def gate_cases(rng, hidden):
    """(h_prev, x, W_gate (H, H + D), b_gate (H,)); the zero-state row has h_prev = 0."""
    for N, D, H, zero_state in step_rows(hidden):
        x, h, _, W, b = _params(rng, N, D, H, zero_state=zero_state)
        yield Case(_step_name(N, D, H, zero_state), (h, x, W[:H], b[:H]))


def step_forward_cases(rng, hidden):
    for N, D, H, zero_state in step_rows(hidden):
        yield Case(_step_name(N, D, H, zero_state), _params(rng, N, D, H, zero_state=zero_state))


def step_backward_cases(rng, hidden):
    for N, D, H, zero_state in step_rows(hidden):
        params = _params(rng, N, D, H, zero_state=zero_state)
        dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
        yield Case(_step_name(N, D, H, zero_state), (dh, dc) + params)


def seq_rows(hidden):
    rows = [(2, 3, 3, 4, False)]                                 # (N, T, D, H, h0 = 0)
    if hidden:
        rows += [(3, 5, 4, 2, False), (2, 2, 2, 5, False), (1, 6, 3, 3, False),
                 (4, 4, 5, 3, True)]
    return rows


def _seq_name(N, T, D, H, h0_zero):
    return f"N{N}_T{T}_D{D}_H{H}" + ("_h0zero" if h0_zero else "")


def forward_cases(rng, hidden):
    for N, T, D, H, h0_zero in seq_rows(hidden):
        x, h0, _, W, b = _params(rng, N, D, H, T=T, zero_state=h0_zero)
        yield Case(_seq_name(N, T, D, H, h0_zero), (x, h0, W, b))


def backward_cases(rng, hidden):
    for N, T, D, H, h0_zero in seq_rows(hidden):
        x, h0, _, W, b = _params(rng, N, D, H, T=T, zero_state=h0_zero)
        yield Case(_seq_name(N, T, D, H, h0_zero), (rng.standard_normal((N, T, H)), x, h0, W, b))


# ---------------------------------------------------------------- the problems
def _gate(name, signature, output, oracle, wrong_squash):
    swapped = lambda h_prev, x, W, b: wrong_squash(torch.cat([h_prev, x], dim=1) @ W.T + b)
    concat = lambda h_prev, x, W, b: oracle(x, h_prev, W, b)     # z = [x, h_prev]
    return Problem(name, A, f"{signature} -> {output}", gate_cases, oracle, outputs=(output,),
                   misconceptions=(_mis("sigmoid_tanh_swapped", swapped),
                                   _mis("concat_order_swapped", concat)))


def _tanh(a):
    return torch.tanh(a)


def _sigmoid(a):
    return torch.sigmoid(a)


FORGET_GATE = _gate("forget_gate", "(h_prev, x, W_f, b_f)", "f", gate_oracle, _tanh)
INPUT_GATE = _gate("input_gate", "(h_prev, x, W_i, b_i)", "i", gate_oracle, _tanh)
CANDIDATE_CELL = _gate("candidate_cell", "(h_prev, x, W_c, b_c)", "c_tilde", candidate_oracle,
                       _sigmoid)
OUTPUT_GATE = _gate("output_gate", "(h_prev, x, W_o, b_o)", "o", gate_oracle, _tanh)

FORWARD_MISTAKES = ("gate_order_swapped", "sigmoid_tanh_swapped", "forget_gate_ignored",
                    "h_without_tanh", "concat_order_swapped")
STEP_BACKWARD_MISTAKES = FORWARD_MISTAKES + ("dc_prev_missing_forget", "dc_from_h_missing")

LSTM_STEP_FORWARD = Problem(
    "lstm_step_forward", A, "(x, h_prev, c_prev, W, b) -> (h_next, c_next)", step_forward_cases,
    step_forward_oracle, outputs=("h_next", "c_next"),
    misconceptions=tuple(_mis(m, _step_forward_with(m)) for m in FORWARD_MISTAKES))

LSTM_STEP_BACKWARD = Problem(
    "lstm_step_backward", A,
    "(dh_next, dc_next, x, h_prev, c_prev, W, b) -> (dx, dh_prev, dc_prev, dW, db)",
    step_backward_cases, step_backward_oracle, outputs=("dx", "dh_prev", "dc_prev", "dW", "db"),
    misconceptions=tuple(_mis(m, _step_backward_with(m)) for m in STEP_BACKWARD_MISTAKES))

LSTM_FORWARD = Problem(
    "lstm_forward", A, "(x, h0, W, b) -> h", forward_cases, lstm_forward_oracle, outputs=("h",),
    misconceptions=tuple(_mis(m, _forward_with(m))
                         for m in FORWARD_MISTAKES + ("cell_state_not_carried",)))

LSTM_BACKWARD = Problem(
    "lstm_backward", A, "(dh, x, h0, W, b) -> (dx, dh0, dW, db)", backward_cases,
    lstm_backward_oracle, outputs=("dx", "dh0", "dW", "db"),
    misconceptions=tuple(_mis(m, _backward_with(m)) for m in STEP_BACKWARD_MISTAKES + (
        "cell_state_not_carried", "h_grad_not_carried", "cell_grad_not_carried")) + (
        Misconception("dW_not_summed", TEXT["dW_not_summed"], _params_overwritten,
                      parts=_per_step),))

PROBLEMS = (FORGET_GATE, INPUT_GATE, CANDIDATE_CELL, OUTPUT_GATE, LSTM_STEP_FORWARD,
            LSTM_STEP_BACKWARD, LSTM_FORWARD, LSTM_BACKWARD)
