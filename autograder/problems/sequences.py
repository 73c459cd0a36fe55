"""06_sequences: what RNNs and LSTMs are for, and the CNN for sentences.

- The RNN's output y_t = W_v h_t + b_v (the scores before f = softmax) and the many-to-many
  loss over a padded batch; the many-to-one classifier (the last hidden state through an
  affine layer) and its backward pass.
- The vanishing and exploding gradient: clipping by the global norm, and ||dL/dh_t|| measured
  through the recurrence.
- The LSTM's gradients at its four pre-activations (the lecture's order f, i, g, o).
- Kim (2014)'s text CNN: embedding lookup, a convolution over time whose filters span the whole
  embedding width, max-over-time pooling; each with its backward pass.

Shapes: x (N, T, D), h (N, T, H), Wx (D, H), Wh (H, H), b (H,), Wv / Wy (H, V) / (H, K);
tokens (N, L) integers, E (V, D), w (F, k, D), maps (N, F, L - k + 1).

gradient_norms is measured through the student's own RNN: the notebook has a cell where the
student pastes rnn_forward and rnn_step_backward from 03 (and lstm_step_forward /
lstm_step_backward from 04, for the picture of RNN vs LSTM norms). Given cells would hand out
03's and 04's graded solutions to everyone who opens 06; pasted code keeps the measurement the
student's own, and grading does not depend on it (only the returned norms are compared).

The oracles are PyTorch's own functions (`F.linear`, `F.cross_entropy`, `clip_grad_norm_`,
`torch.lstm_cell`, `F.embedding`, `F.conv1d`, `max`) and autograd. The mistakes are the same
computations with the mistake made on purpose, in torch.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from autograder.problems import lstm, rnn
from autograder.registry import Case, Misconception, Problem

A = "06_sequences"


def _grads(outputs_of, inputs, upstream):
    """sum_k <outputs_of(*inputs)[k], upstream[k]> differentiated by autograd w.r.t. inputs."""
    return rnn._grad_of(outputs_of, inputs, upstream)


# ---------------------------------------------------------------- rnn_output
def output_cases(rng, hidden):
    rows = [(2, 3, 4, 5), (3, 2, 3, 4)]                                   # (N, T, H, V)
    if hidden:
        rows += [(1, 5, 2, 3), (4, 4, 5, 2), (2, 6, 3, 7)]
    for N, T, H, V in rows:
        h = np.tanh(rng.standard_normal((N, T, H)))
        yield Case(f"N{N}_T{T}_H{H}_V{V}", (h, rng.standard_normal((H, V)) / np.sqrt(H),
                                          0.3 * rng.standard_normal(V)))


def output_oracle(h, Wv, bv):
    return F.linear(h, Wv.T, bv)


# ---------------------------------------------------------------- temporal_softmax_loss
def loss_rows(hidden):
    rows = [(2, 4, 5, "middle_end"), (3, 3, 4, "end")]                    # (N, T, V, mask)
    if hidden:
        rows += [(4, 5, 3, "middle_end"), (2, 6, 6, "middle"), (3, 2, 4, "all"),
                 (2, 5, 4, "large_scores")]
    return rows


def _mask(N, T, kind):
    """Padding at the end of some sequences (their lengths), plus gaps in the middle; every
    sequence keeps its first step, and some row ends unmasked, some masked."""
    mask = np.ones((N, T), dtype=bool)
    if kind == "all":
        return mask
    if kind != "middle":
        lengths = np.arange(N) % (T - 1) + 2 if T > 2 else np.full(N, T)
        lengths[0] = T - 1
        for n, length in enumerate(lengths):
            mask[n, min(length, T):] = False
    if kind in ("middle", "middle_end", "large_scores"):
        mask[N - 1, 1] = False                               # a gap, not padding
        mask[0, T // 2] = False
    return mask


def loss_cases(rng, hidden):
    for N, T, V, kind in loss_rows(hidden):
        y = rng.standard_normal((N, T, V))
        if kind == "large_scores":                           # exp overflows without the max
            y = 3 * y + 800.0
        targets = rng.integers(0, V, size=(N, T)).astype(np.int64)
        yield Case(f"N{N}_T{T}_V{V}_{kind}", (y, targets, _mask(N, T, kind)))


def _temporal_loss(y, targets, mask, *, use_mask=True, divisor="N", dy_times=1.0):
    """Cross-entropy at every step where mask is True, summed, divided by `divisor` (N, or a
    mistake's N*T or number of unmasked steps); its gradient dy by autograd (times dy_times)."""
    N, T, V = y.shape
    weight = mask.reshape(-1).to(y.dtype) if use_mask else torch.ones(N * T, dtype=y.dtype,
                                                                      device=y.device)
    denominator = {"N": N, "NT": N * T, "unmasked": mask.sum().to(y.dtype), "1": 1}[divisor]
    with torch.enable_grad():
        leaf = y.detach().clone().requires_grad_(True)
        per_step = F.cross_entropy(leaf.reshape(N * T, V), targets.reshape(-1), reduction="none")
        loss = (per_step * weight).sum() / denominator
        dy, = torch.autograd.grad(loss, leaf)
    return loss.detach(), dy * dy_times


def temporal_loss_oracle(y, targets, mask):
    return _temporal_loss(y, targets, mask)


# ---------------------------------------------------------------- many_to_one
def m2o_rows(hidden):
    rows = [(2, 3, 4, 5, 3), (3, 4, 3, 2, 4)]                             # (N, T, D, H, K)
    if hidden:
        rows += [(4, 5, 2, 3, 2), (2, 2, 5, 4, 3), (1, 6, 3, 3, 5), (3, 1, 2, 4, 3)]
    return rows


def _m2o_params(rng, N, T, D, H, K):
    x, h0, Wx, Wh, b = rnn._params(rng, N, T, D, H)
    return x, h0, Wx, Wh, b, rng.standard_normal((H, K)) / np.sqrt(H), 0.3 * rng.standard_normal(K)


def m2o_cases(rng, hidden):
    for N, T, D, H, K in m2o_rows(hidden):
        yield Case(f"N{N}_T{T}_D{D}_H{H}_K{K}", _m2o_params(rng, N, T, D, H, K))


def m2o_backward_cases(rng, hidden):
    for N, T, D, H, K in m2o_rows(hidden):
        params = _m2o_params(rng, N, T, D, H, K)
        yield Case(f"N{N}_T{T}_D{D}_H{H}_K{K}", (rng.standard_normal((N, K)),) + params)


def many_to_one_oracle(x, h0, Wx, Wh, b, Wy, by, state=-1):
    return rnn._unroll(x, h0, Wx, Wh, b)[:, state] @ Wy + by


def _m2o_backward_of(forward):
    def backward(dscores, x, h0, Wx, Wh, b, Wy, by):
        return _grads(forward, (x, h0, Wx, Wh, b, Wy, by), dscores)
    return backward


many_to_one_backward_oracle = _m2o_backward_of(many_to_one_oracle)


def _dh_last(dscores, x, Wy):
    """The upstream gradient of every hidden state: dscores Wy^T at the last step, 0 before."""
    dh = dscores.new_zeros(x.shape[:2] + (Wy.shape[0],))
    dh[:, -1] = dscores @ Wy.T
    return dh


def _m2o_gradient_every_step(dscores, x, h0, Wx, Wh, b, Wy, by):
    """dWy, dby right; the recurrence's upstream gradient dscores Wy^T fed at every step."""
    *_, dWy, dby = many_to_one_backward_oracle(dscores, x, h0, Wx, Wh, b, Wy, by)
    dh = (dscores @ Wy.T)[:, None].expand(x.shape[:2] + (Wy.shape[0],)).contiguous()
    return rnn.rnn_backward_oracle(dh, x, h0, Wx, Wh, b) + (dWy, dby)


def _m2o_params_overwritten(dscores, x, h0, Wx, Wh, b, Wy, by):
    *_, dWy, dby = many_to_one_backward_oracle(dscores, x, h0, Wx, Wh, b, Wy, by)
    return rnn._params_overwritten(_dh_last(dscores, x, Wy), x, h0, Wx, Wh, b) + (dWy, dby)


def _m2o_per_step(dscores, x, h0, Wx, Wh, b, Wy, by):
    return rnn._per_step(_dh_last(dscores, x, Wy), x, h0, Wx, Wh, b)


# ---------------------------------------------------------------- clip_gradients
def clip_rows(hidden):
    # (shapes of the three gradients, scale of their entries, max_norm): every array alone
    # under max_norm while their global norm is over it, one over and two under, all under
    rows = [(((3, 4), (4, 4), (4,)), 0.5, 2.0, "clipped"),
            (((2, 3), (3, 3), (3,)), 0.1, 5.0, "unchanged")]
    if hidden:
        rows += [(((5, 3), (3, 3), (3,)), 0.6, 2.5, "each_under_total_over"),
                 (((2, 3, 3, 3), (2,), (4, 2)), 1.0, 1.0, "clipped"),
                 (((4, 2), (2, 2), (2,)), 0.2, 1.0, "unchanged"),
                 (((6,), (6, 6), (3, 6)), 2.0, 3.0, "one_over")]
    return rows


def clip_cases(rng, hidden):
    for shapes, scale, max_norm, kind in clip_rows(hidden):
        grads = [scale * rng.standard_normal(s) for s in shapes]
        if kind == "one_over":
            grads[1] *= 0.05
            grads[2] *= 0.05
        name = "_".join("x".join(map(str, s)) for s in shapes)
        yield Case(f"{name}_max{max_norm:g}_{kind}", (grads, max_norm))


def clip_oracle(grads, max_norm):
    """torch.nn.utils.clip_grad_norm_ on parameters whose .grad are the given arrays."""
    params = [torch.nn.Parameter(torch.empty_like(g)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_norm_(params, max_norm)
    return tuple(p.grad for p in params)


def _clip_coef(norm, max_norm, eps=1e-6):
    return torch.clamp(max_norm / (norm + eps), max=1.0)


def _clip_each(grads, max_norm):
    return tuple(g * _clip_coef(torch.linalg.vector_norm(g), max_norm) for g in grads)


def _total_norm(grads):
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))


def _clip_always(grads, max_norm):
    """Every gradient rescaled to the global norm max_norm, also when it was smaller."""
    return tuple(g * (max_norm / (_total_norm(grads) + 1e-6)) for g in grads)


def _clip_by_value(grads, max_norm):
    return tuple(torch.clamp(g, -max_norm, max_norm) for g in grads)


# ---------------------------------------------------------------- gradient_norms
def norm_rows(hidden):
    rows = [(2, 5, 3, 4), (3, 4, 2, 3)]                                  # (N, T, D, H)
    if hidden:
        rows += [(2, 8, 3, 5), (1, 6, 4, 3), (4, 3, 2, 2), (2, 1, 3, 4)]
    return rows


def norm_cases(rng, hidden):
    for N, T, D, H in norm_rows(hidden):
        yield Case(f"N{N}_T{T}_D{D}_H{H}", rnn._params(rng, N, T, D, H))


def _norms(x, h0, Wx, Wh, b, *, step=rnn._step, loss_at_every_step=False):
    """||dL/dh_t|| for t = 0..T-1, L = h_{T-1}.sum() (or the sum of every h_t)."""
    with torch.enable_grad():
        h, hs = h0.detach().clone().requires_grad_(True), []
        for t in range(x.shape[1]):
            h = step(x[:, t], h, Wx, Wh, b)
            hs.append(h)
        loss = sum(h.sum() for h in hs) if loss_at_every_step else hs[-1].sum()
        grads = torch.autograd.grad(loss, hs)
    return torch.stack([torch.linalg.vector_norm(g) for g in grads])


def gradient_norms_oracle(x, h0, Wx, Wh, b):
    return _norms(x, h0, Wx, Wh, b)


# ---------------------------------------------------------------- lstm_gate_grads
def gate_cases(rng, hidden):
    for N, D, H, zero_state in lstm.step_rows(hidden):
        params = lstm._params(rng, N, D, H, zero_state=zero_state)
        dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
        yield Case(lstm._step_name(N, D, H, zero_state), (dh, dc) + params)


def gate_grads_oracle(dh_next, dc_next, x, h_prev, c_prev, W, b):
    """PyTorch's LSTM cell (`torch.lstm_cell`) fed the pre-activations themselves: with
    weight_ih the identity and weight_hh and the biases zero, its input *is* the
    pre-activation (in torch's order i, f, g, o), so autograd's gradient w.r.t. that input
    is (da_i, da_f, da_g, da_o); reordered to the lecture's f, i, g, o."""
    H = h_prev.shape[1]
    a = torch.cat([h_prev, x], dim=1) @ W.T + b                      # lecture order f, i, g, o
    with torch.enable_grad():
        a_torch = a[:, lstm._blocks(lstm._TO_TORCH, H)].detach().clone().requires_grad_(True)
        zeros = a.new_zeros(4 * H)
        h, c = torch.lstm_cell(a_torch, (h_prev, c_prev), torch.eye(4 * H, dtype=a.dtype,
                               device=a.device), a.new_zeros((4 * H, H)), zeros, zeros)
        da, = torch.autograd.grad((h, c), a_torch, (dh_next, dc_next))
    da = da[:, lstm._blocks(lstm._FROM_TORCH, H)]
    return tuple(da[:, k * H:(k + 1) * H] for k in range(4))


class _SigmoidPlus(torch.autograd.Function):
    """sigmoid forward; backward with s (1 + s) instead of s (1 - s) (the mistake)."""
    @staticmethod
    def forward(ctx, a):
        s = torch.sigmoid(a)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad):
        s, = ctx.saved_tensors
        return grad * s * (1 + s)


def _gate_grads_with(mistake):
    """The lecture's step written in torch with `mistake` made, differentiated w.r.t. the
    pre-activations the student calls f, i, g, o (gate_order_swapped reads rows 0..H-1 of W
    as the input gate and H..2H-1 as the forget gate, as PyTorch stacks them)."""
    def mimic(dh_next, dc_next, x, h_prev, c_prev, W, b):
        H = h_prev.shape[1]
        a = (torch.cat([h_prev, x], dim=1) @ W.T + b).detach()
        order = (1, 0, 2, 3) if mistake == "gate_order_swapped" else (0, 1, 2, 3)
        sigmoid = _SigmoidPlus.apply if mistake == "sigmoid_derivative_plus" else torch.sigmoid
        with torch.enable_grad():
            af, ai, ag, ao = (a[:, k * H:(k + 1) * H].clone().requires_grad_(True) for k in order)
            f, i, g, o = sigmoid(af), sigmoid(ai), torch.tanh(ag), sigmoid(ao)
            c = f * c_prev + i * g
            h = o * torch.tanh(c.detach() if mistake == "dc_from_h_missing" else c)
            return torch.autograd.grad((h, c), (af, ai, ag, ao), (dh_next, dc_next))
    return mimic


# ---------------------------------------------------------------- text CNN
def text_rows(hidden):
    rows = [(2, 6, 5, 3, 4, 3), (3, 5, 4, 2, 3, 2)]                     # (N, L, V, D, F, k)
    if hidden:
        rows += [(2, 7, 6, 4, 2, 4), (4, 4, 3, 3, 5, 2), (1, 5, 8, 2, 3, 5), (3, 8, 4, 3, 2, 1)]
    return rows


def _text_name(N, L, V, D, F_, k):
    return f"N{N}_L{L}_V{V}_D{D}_F{F_}_k{k}"


def _tokens(rng, N, L, V):
    """Token ids with repeats (a word used twice in a sentence, and across sentences)."""
    tokens = rng.integers(0, V, size=(N, L)).astype(np.int64)
    tokens[0, -1] = tokens[0, 0]
    tokens[-1, 1] = tokens[0, 0]
    return tokens


def embed_cases(rng, hidden):
    for row in text_rows(hidden):
        N, L, V, D, _, _ = row
        yield Case(_text_name(*row), (_tokens(rng, N, L, V), rng.standard_normal((V, D))))


def embed_backward_cases(rng, hidden):
    for row in text_rows(hidden):
        N, L, V, D, _, _ = row
        yield Case(_text_name(*row), (rng.standard_normal((N, L, D)), _tokens(rng, N, L, V), V))


def embed_backward_oracle(demb, tokens, V):
    with torch.enable_grad():
        E = demb.new_zeros((V, demb.shape[-1])).requires_grad_(True)
        F.embedding(tokens, E).backward(demb)
    return E.grad


def _embed_assigned(demb, tokens, V):
    """dE[tokens] = demb: each row of dE holds the last occurrence of its token only."""
    flat, rows = tokens.reshape(-1), demb.reshape(-1, demb.shape[-1])
    last = torch.full((V,), -1, dtype=torch.int64, device=demb.device)
    last.scatter_reduce_(0, flat, torch.arange(flat.numel(), device=demb.device), "amax")
    dE = demb.new_zeros((V, demb.shape[-1]))
    seen = last >= 0
    dE[seen] = rows[last[seen]]
    return dE


def conv_cases(rng, hidden):
    for row in text_rows(hidden):
        N, L, _, D, F_, k = row
        yield Case(_text_name(*row), (rng.standard_normal((N, L, D)),
                                      rng.standard_normal((F_, k, D)) / np.sqrt(k * D),
                                      0.3 * rng.standard_normal(F_)))


def conv_backward_cases(rng, hidden):
    for row in text_rows(hidden):
        N, L, _, D, F_, k = row
        emb, w, b = (rng.standard_normal((N, L, D)), rng.standard_normal((F_, k, D)),
                     0.3 * rng.standard_normal(F_))
        yield Case(_text_name(*row), (rng.standard_normal((N, F_, L - k + 1)), emb, w, b))


def conv_oracle(emb, w, b):
    """F.conv1d over time: the embedding width D is conv1d's channels."""
    return F.conv1d(emb.transpose(1, 2), w.transpose(1, 2), b)


def conv_backward_oracle(dmaps, emb, w, b):
    return _grads(conv_oracle, (emb, w, b), dmaps)


def _conv_flipped(emb, w, b):
    return conv_oracle(emb, torch.flip(w, (1,)), b)


def _demb_overwritten(dmaps, emb, w, b):
    """dw, db right; demb written with = per window: position p keeps only the last window
    that covers it (t = min(p, L - k)), as a forward loop over t assigning its slice does."""
    _, dw, db = conv_backward_oracle(dmaps, emb, w, b)
    k, L = w.shape[1], emb.shape[1]
    demb = torch.zeros_like(emb)
    for t in range(L - k + 1):
        demb[:, t:t + k] = torch.einsum("nf,fjd->njd", dmaps[:, :, t], w)
    return demb, dw, db


def pool_cases(rng, hidden):
    """maps (N, F, T'): distinct values along time (no ties: the argmax is unique), F != T'."""
    rows = [(2, 3, 5), (3, 4, 2)]                                        # (N, F, T')
    if hidden:
        rows += [(4, 2, 6), (1, 5, 3), (2, 3, 1), (3, 6, 4)]
    for N, F_, T in rows:
        maps = rng.permuted(np.tile(np.arange(T) - T / 2, (N, F_, 1)), axis=2) / 3.0
        maps += 0.1 * rng.standard_normal((N, F_, 1))
        yield Case(f"N{N}_F{F_}_T{T}", (maps,))


def pool_backward_cases(rng, hidden):
    for case in pool_cases(rng, hidden):
        maps, = case.args
        yield Case(case.name, (rng.standard_normal(maps.shape[:2]), maps))


def pool_oracle(maps):
    return maps.max(dim=2).values


def pool_backward_oracle(dpooled, maps):
    return _grads(pool_oracle, (maps,), dpooled)[0]


# ---------------------------------------------------------------- misconception texts
TEXT = {
    "softmax_applied": {
        "en": "The scores went through softmax. rnn_output returns the scores y_t = h_t Wv + bv "
              "themselves; f = softmax belongs to the loss (temporal_softmax_loss applies it).",
        "ko": "점수(score)에 softmax를 적용했습니다. rnn_output은 점수 y_t = h_t Wv + bv 자체를 "
              "반환합니다; f = softmax는 손실 함수(temporal_softmax_loss)가 적용합니다."},
    "mask_ignored": {
        "en": "The padding was not masked: every step's cross-entropy was added, also where mask is "
              "False. Multiply each step's loss (and its dy) by the mask, so padded steps add 0.",
        "ko": "패딩(padding)을 마스크(mask)하지 않았습니다: mask가 False인 시점의 교차 엔트로피"
              "(cross-entropy)까지 더했습니다. 각 시점의 손실(과 dy)에 mask를 곱해서 패딩 시점은 0을 "
              "더하게 하세요."},
    "averaged_over_steps": {
        "en": "The loss was divided by N * T (a mean over every step). It is summed over the "
              "unmasked steps and divided by N only, the number of sequences; dy too.",
        "ko": "손실을 N * T로 나누었습니다(모든 시점의 평균). 마스크되지 않은 시점에 대해 더한 뒤 "
              "시퀀스 수 N으로만 나눕니다; dy도 마찬가지입니다."},
    "averaged_over_unmasked": {
        "en": "The loss was divided by the number of unmasked steps (what F.cross_entropy's "
              "ignore_index does with its mean). This course sums over the unmasked steps and "
              "divides by N, the number of sequences; dy too.",
        "ko": "손실을 마스크되지 않은 시점의 수로 나누었습니다(F.cross_entropy의 ignore_index 평균 "
              "방식). 이 과제에서는 마스크되지 않은 시점에 대해 더한 뒤 시퀀스 수 N으로 나눕니다; "
              "dy도 마찬가지입니다."},
    "not_divided": {
        "en": "The loss was summed but not divided by N: it grows with the batch size. Divide "
              "the sum over the unmasked steps by N, the number of sequences, and dy as well.",
        "ko": "손실을 더하기만 하고 N으로 나누지 않았습니다: 배치 크기에 따라 커집니다. 마스크되지 "
              "않은 시점에 대한 합을 시퀀스 수 N으로 나누고, dy도 나누세요."},
    "dy_not_divided": {
        "en": "The loss is right but dy was not divided by N: the loss is divided by N, so each "
              "step's gradient softmax(y) - onehot(target) is divided by N as well.",
        "ko": "손실은 맞지만 dy를 N으로 나누지 않았습니다: 손실을 N으로 나누므로 각 시점의 기울기 "
              "softmax(y) - onehot(target)도 N으로 나눕니다."},
    "first_hidden_state": {
        "en": "The first hidden state h_1 was used instead of the last. Many-to-one reads the whole "
              "sequence: the scores come from h_T = h[:, -1], the state after the last input.",
        "ko": "마지막 대신 첫 번째 은닉 상태(hidden state) h_1을 사용했습니다. many-to-one은 시퀀스 "
              "전체를 읽습니다: 점수는 마지막 입력 뒤의 상태 h_T = h[:, -1]에서 나옵니다."},
    "gradient_at_every_step": {
        "en": "The upstream gradient dscores Wy^T was fed to every hidden state. Only h_T reaches "
              "the scores: dh is zero at every step but the last, dh[:, -1] = dscores @ Wy.T "
              "(the earlier steps get their gradient through h_T, by BPTT).",
        "ko": "상류 기울기(upstream gradient) dscores Wy^T를 모든 은닉 상태에 넣었습니다. 점수에 "
              "닿는 것은 h_T뿐입니다: dh는 마지막 시점 dh[:, -1] = dscores @ Wy.T를 빼고 모두 0이고, "
              "앞 시점들은 h_T를 거쳐(BPTT로) 기울기를 받습니다."},
    "dWh_not_summed": {
        "en": "dWx, dWh and db hold only one time step's contribution (overwritten with = in the "
              "backward loop). The weights are shared by every step: BPTT sums their gradients "
              "over t (+=, not =).",
        "ko": "dWx, dWh, db에 한 시점의 기여만 남았습니다(역방향 루프에서 =로 덮어씀). 가중치(weight)는 "
              "모든 시점이 공유하므로 BPTT는 모든 시점의 기울기를 더합니다(=가 아니라 +=)."},
    "clipped_separately": {
        "en": "Each gradient was clipped by its own norm. clip_grad_norm_ uses one global norm, the "
              "L2 norm of all the elements of all the arrays together, and scales every array by "
              "the same factor min(1, max_norm / (total_norm + 1e-6)): the direction is kept.",
        "ko": "각 기울기를 자기 노름(norm)으로 따로 잘랐습니다. clip_grad_norm_은 모든 배열의 모든 "
              "원소를 합친 L2 노름 하나(total_norm)를 쓰고, 모든 배열에 같은 배율 "
              "min(1, max_norm / (total_norm + 1e-6))을 곱합니다: 방향이 유지됩니다."},
    "always_rescaled": {
        "en": "The gradients were rescaled also when their norm was already under max_norm. "
              "Clipping only shrinks: the factor is min(1, max_norm / (total_norm + 1e-6)).",
        "ko": "노름(norm)이 이미 max_norm보다 작을 때도 기울기를 다시 조정했습니다. 클리핑은 줄이기만 "
              "합니다: 배율은 min(1, max_norm / (total_norm + 1e-6))입니다."},
    "clipped_by_value": {
        "en": "Each element was clipped to [-max_norm, max_norm] (clip_grad_value_). Clipping by "
              "norm scales the arrays as a whole: g * min(1, max_norm / (total_norm + 1e-6)).",
        "ko": "원소마다 [-max_norm, max_norm]으로 잘랐습니다(clip_grad_value_). 노름(norm)으로 "
              "자르기는 배열 전체에 같은 배율을 곱합니다: g * min(1, max_norm / (total_norm + 1e-6))."},
    "epsilon_missing": {
        "en": "The factor is max_norm / total_norm: the 1e-6 is missing. clip_grad_norm_ uses "
              "max_norm / (total_norm + 1e-6), which never divides by zero.",
        "ko": "배율이 max_norm / total_norm입니다: 1e-6이 빠졌습니다. clip_grad_norm_은 0으로 나누지 "
              "않도록 max_norm / (total_norm + 1e-6)을 씁니다."},
    "tanh_derivative_missing": {
        "en": "The tanh derivative is missing: the gradient went back as dh_prev = dh @ Wh.T. "
              "Through h_t = tanh(a_t) it is dh_prev = (dh * (1 - h_t^2)) @ Wh.T; that factor, "
              "at most 1, is half of why the gradient vanishes.",
        "ko": "tanh의 미분이 빠졌습니다: 기울기를 dh_prev = dh @ Wh.T로 보냈습니다. h_t = tanh(a_t)를 "
              "거치므로 dh_prev = (dh * (1 - h_t^2)) @ Wh.T입니다; 1 이하인 이 인자가 기울기가 "
              "사라지는 이유의 절반입니다."},
    "loss_at_every_step": {
        "en": "The gradient was seeded at every hidden state (as for a loss at every step). Here "
              "L = h_T.sum(): dL/dh_T is all ones and every earlier dL/dh_t comes only from "
              "h_T, back through the steps in between.",
        "ko": "모든 은닉 상태(hidden state)에 기울기를 넣었습니다(매 시점의 손실처럼). 여기서는 "
              "L = h_T.sum()입니다: dL/dh_T는 모두 1이고, 그 앞의 dL/dh_t는 h_T에서 사이의 시점들을 "
              "거쳐 돌아온 것뿐입니다."},
    "reversed": {
        "en": "The norms are in reverse order: norms[t] belongs to h_t, so norms[T-1] (the last "
              "state, where the gradient starts) is sqrt(N * H), and it shrinks towards t = 0.",
        "ko": "노름(norm)의 순서가 거꾸로입니다: norms[t]는 h_t의 값이므로 기울기가 시작되는 "
              "norms[T-1]이 sqrt(N * H)이고, t = 0으로 갈수록 작아집니다."},
    "sigmoid_derivative_plus": {
        "en": "The sigmoid derivative was taken as s * (1 + s). d sigmoid(a)/da = s * (1 - s), "
              "with s = sigmoid(a) the gate's value (at most 1/4).",
        "ko": "시그모이드(sigmoid)의 미분을 s * (1 + s)로 계산했습니다. d sigmoid(a)/da = s * (1 - s"
              ")이고, s = sigmoid(a)는 게이트의 값입니다(최대 1/4)."},
    "gate_order_swapped": lstm.TEXT["gate_order_swapped"],
    "dc_from_h_missing": lstm.TEXT["dc_from_h_missing"],
    "embed_assigned": {
        "en": "dE[tokens] = demb assigns: a token used several times keeps only its last "
              "gradient. Every use of a word adds to its row: np.add.at(dE, tokens, demb).",
        "ko": "dE[tokens] = demb는 대입(assign)이라 여러 번 나온 토큰(token)은 마지막 기울기만 "
              "남습니다. 단어가 쓰일 때마다 그 행에 더해야 합니다: np.add.at(dE, tokens, demb)."},
    "kernel_flipped": {
        "en": "The filter was flipped along time (true convolution). As in the lectures and "
              "F.conv1d, it is cross-correlation: maps[n, f, t] = sum(emb[n, t:t+k] * w[f]) + b[f].",
        "ko": "필터를 시간 축으로 뒤집었습니다(수학적 convolution). 강의와 F.conv1d처럼 교차상관"
              "(cross-correlation)입니다: maps[n, f, t] = sum(emb[n, t:t+k] * w[f]) + b[f]."},
    "bias_missing": {
        "en": "The bias is missing: add b[f] to every position of filter f's map.",
        "ko": "편향(bias)이 빠졌습니다: 필터 f의 맵의 모든 위치에 b[f]를 더하세요."},
    "demb_overwritten": {
        "en": "demb was written with = for each window, so where windows overlap only the last "
              "one counts. A word at position p is in up to k windows: add every window's "
              "gradient (+=).",
        "ko": "창(window)마다 demb를 =로 써서, 창이 겹치는 곳에는 마지막 창만 남았습니다. 위치 p의 "
              "단어는 최대 k개의 창에 들어가므로 모든 창의 기울기를 더해야 합니다(+=)."},
    "wrong_axis": {
        "en": "The max was taken over the wrong axis. maps is (N, F, T'): max-over-time takes, "
              "for each sentence and filter, the max over the positions, axis 2, giving (N, F).",
        "ko": "잘못된 축(axis)에서 최댓값을 구했습니다. maps는 (N, F, T')입니다: max-over-time은 "
              "문장과 필터마다 위치(축 2)에 대한 최댓값을 구해 (N, F)가 됩니다."},
    "averaged": {
        "en": "The positions were averaged. Max-over-time keeps the largest value of each map: "
              "the strongest match of the filter anywhere in the sentence.",
        "ko": "위치에 대해 평균을 냈습니다. max-over-time은 각 맵의 가장 큰 값, 즉 문장 어디에서든 "
              "필터가 가장 강하게 맞은 값을 남깁니다."},
    "gradient_to_all": {
        "en": "dpooled was sent to every position. Only the position that held the max passes "
              "it on; every other position of that map gets 0.",
        "ko": "dpooled를 모든 위치에 보냈습니다. 최댓값이 있던 위치만 기울기를 받고, 그 맵의 다른 "
              "위치는 모두 0입니다."},
    "gradient_averaged": {
        "en": "dpooled was spread evenly over the positions (the backward pass of a mean). The "
              "max passes the whole of dpooled to its argmax and 0 elsewhere.",
        "ko": "dpooled를 위치마다 똑같이 나누었습니다(평균의 역전파). 최댓값은 dpooled 전체를 "
              "argmax 위치로만 보내고 나머지는 0입니다."},
}


def _mis(name, mimic, parts=None):
    return Misconception(name, TEXT[name], mimic, parts)


# ---------------------------------------------------------------- the problems
RNN_OUTPUT = Problem(
    "rnn_output", A, "(h, Wv, bv) -> y", output_cases, output_oracle, outputs=("y",),
    misconceptions=(_mis("softmax_applied", lambda h, Wv, bv: torch.softmax(h @ Wv + bv, dim=-1)),))

TEMPORAL_LOSS = Problem(
    "temporal_softmax_loss", A, "(y, targets, mask) -> (loss, dy)", loss_cases,
    temporal_loss_oracle, outputs=("loss", "dy"),
    misconceptions=(
        _mis("mask_ignored", lambda y, t, m: _temporal_loss(y, t, m, use_mask=False)),
        _mis("averaged_over_steps", lambda y, t, m: _temporal_loss(y, t, m, divisor="NT")),
        _mis("averaged_over_unmasked", lambda y, t, m: _temporal_loss(y, t, m, divisor="unmasked")),
        _mis("dy_not_divided", lambda y, t, m: _temporal_loss(y, t, m, dy_times=y.shape[0])),
        _mis("not_divided", lambda y, t, m: _temporal_loss(y, t, m, divisor="1")),
    ))

MANY_TO_ONE = Problem(
    "many_to_one", A, "(x, h0, Wx, Wh, b, Wy, by) -> scores", m2o_cases, many_to_one_oracle,
    outputs=("scores",),
    misconceptions=(_mis("first_hidden_state",
                         lambda *p: many_to_one_oracle(*p, state=0)),))

MANY_TO_ONE_BACKWARD = Problem(
    "many_to_one_backward", A,
    "(dscores, x, h0, Wx, Wh, b, Wy, by) -> (dx, dh0, dWx, dWh, db, dWy, dby)",
    m2o_backward_cases, many_to_one_backward_oracle,
    outputs=("dx", "dh0", "dWx", "dWh", "db", "dWy", "dby"),
    misconceptions=(
        _mis("first_hidden_state",
             _m2o_backward_of(lambda *p: many_to_one_oracle(*p, state=0))),
        _mis("gradient_at_every_step", _m2o_gradient_every_step),
        _mis("dWh_not_summed", _m2o_params_overwritten, parts=_m2o_per_step),
    ))

CLIP_GRADIENTS = Problem(
    "clip_gradients", A, "(grads, max_norm) -> grads", clip_cases, clip_oracle,
    outputs=("grads[0]", "grads[1]", "grads[2]"),
    misconceptions=(
        _mis("clipped_separately", _clip_each),
        _mis("always_rescaled", _clip_always),
        _mis("clipped_by_value", _clip_by_value),
        _mis("epsilon_missing", lambda grads, max_norm: tuple(
            g * torch.clamp(max_norm / _total_norm(grads), max=1.0) for g in grads)),
    ))

GRADIENT_NORMS = Problem(
    "gradient_norms", A, "(x, h0, Wx, Wh, b) -> norms", norm_cases, gradient_norms_oracle,
    outputs=("norms",),
    misconceptions=(
        _mis("tanh_derivative_missing", lambda *p: _norms(*p, step=rnn._step_nograd)),
        _mis("loss_at_every_step", lambda *p: _norms(*p, loss_at_every_step=True)),
        _mis("reversed", lambda *p: torch.flip(_norms(*p), (0,))),
    ))

LSTM_GATE_GRADS = Problem(
    "lstm_gate_grads", A, "(dh_next, dc_next, x, h_prev, c_prev, W, b) -> (da_f, da_i, da_g, da_o)",
    gate_cases, gate_grads_oracle, outputs=("da_f", "da_i", "da_g", "da_o"),
    misconceptions=tuple(_mis(m, _gate_grads_with(m)) for m in (
        "sigmoid_derivative_plus", "gate_order_swapped", "dc_from_h_missing")))

EMBED = Problem(
    "embed", A, "(tokens, E) -> emb", embed_cases, lambda tokens, E: F.embedding(tokens, E),
    outputs=("emb",))

EMBED_BACKWARD = Problem(
    "embed_backward", A, "(demb, tokens, V) -> dE", embed_backward_cases, embed_backward_oracle,
    outputs=("dE",), misconceptions=(_mis("embed_assigned", _embed_assigned),))

CONV1D = Problem(
    "conv1d_over_time", A, "(emb, w, b) -> maps", conv_cases, conv_oracle, outputs=("maps",),
    misconceptions=(_mis("kernel_flipped", _conv_flipped),
                    _mis("bias_missing", lambda emb, w, b: conv_oracle(emb, w, None))))

CONV1D_BACKWARD = Problem(
    "conv1d_over_time_backward", A, "(dmaps, emb, w, b) -> (demb, dw, db)", conv_backward_cases,
    conv_backward_oracle, outputs=("demb", "dw", "db"),
    misconceptions=(
        _mis("kernel_flipped", lambda dmaps, emb, w, b: _grads(_conv_flipped, (emb, w, b), dmaps)),
        _mis("demb_overwritten", _demb_overwritten),
    ))

MAX_OVER_TIME = Problem(
    "max_over_time", A, "(maps) -> pooled", pool_cases, pool_oracle, outputs=("pooled",),
    misconceptions=(_mis("wrong_axis", lambda maps: maps.max(dim=1).values),
                    _mis("averaged", lambda maps: maps.mean(dim=2))))

MAX_OVER_TIME_BACKWARD = Problem(
    "max_over_time_backward", A, "(dpooled, maps) -> dmaps", pool_backward_cases,
    pool_backward_oracle, outputs=("dmaps",),
    misconceptions=(
        _mis("gradient_to_all", lambda dpooled, maps: dpooled[:, :, None].expand(maps.shape)),
        _mis("gradient_averaged",
             lambda dpooled, maps: dpooled[:, :, None].expand(maps.shape) / maps.shape[2]),
    ))

PROBLEMS = (RNN_OUTPUT, TEMPORAL_LOSS, MANY_TO_ONE, MANY_TO_ONE_BACKWARD, CLIP_GRADIENTS,
            GRADIENT_NORMS, LSTM_GATE_GRADS, EMBED, EMBED_BACKWARD, CONV1D, CONV1D_BACKWARD,
            MAX_OVER_TIME, MAX_OVER_TIME_BACKWARD)
