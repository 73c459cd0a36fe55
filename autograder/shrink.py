"""The smallest failing case: a call the student can run and read.

A failing problem is called again (ungraded) on a small lattice of sizes, made from the
public seed so it reveals nothing hidden: at most 5x5 spatially and T <= 3, from a single
1x1 image up to every feature a bug needs in order to show (stride > 1, padding, PH != PW,
overlapping windows, N >= 2, C >= 2, T >= 2, k < T, a zero initial state). The first case
(smallest first) on which the student's answer differs from the oracle's is the minimal
failing case; where none of them fails, the smallest failing public case is. Values are
decimals with two digits (distinct tenths for pooling: no ties), printed exactly, so the call
shown is the call made.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from autograder import oracle, sandbox
from autograder.compare import close
from autograder.registry import Case, Problem, Tol, unpack

MAX_SIDE = 5          # the lattice's largest spatial side
MAX_T = 3             # and its longest sequence


def _dec(rng, shape, scale=1.0):
    """Normal values rounded to two decimals: printed exactly, read back exactly."""
    return np.round(scale * rng.standard_normal(shape) * 100) / 100


def _distinct(rng, shape):
    """Distinct tenths of both signs (no ties in any pooling window)."""
    n = int(np.prod(shape))
    return (rng.permutation(n).reshape(shape) - n // 2) / 10


# ---------------------------------------------------------------- the lattices, by problem
def _size_rows():
    ok = [(3, 3, 3, 3, 0, 1), (3, 4, 2, 3, 0, 1), (4, 3, 3, 2, 0, 1), (4, 5, 2, 3, 1, 2),
          (5, 4, 3, 2, 1, 2), (5, 5, 3, 3, 0, 2), (5, 4, 2, 2, 0, 3), (4, 5, 3, 2, 2, 1)]
    bad = [(3, 3, 3, 3, 0, 0), (3, 3, 3, 3, -1, 1), (2, 2, 3, 3, 0, 1), (0, 3, 1, 1, 0, 1),
           (3, -3, 1, 1, 0, 1)]
    return ok, bad


def size_lattice(rng):
    ok, bad = _size_rows()
    for row in ok:
        yield Case("small_H{}W{}_F{}x{}_p{}_s{}".format(*row), row)
    for row in bad:
        yield Case("small_H{}W{}_F{}x{}_p{}_s{}_invalid".format(*row), row, raises=ValueError)


def pad_lattice(rng):
    for N, C, H, W, P in [(1, 1, 1, 1, 1), (1, 1, 2, 3, 1), (1, 2, 2, 2, 1), (2, 1, 2, 2, 1),
                          (1, 1, 2, 2, 2), (1, 1, 3, 2, 0), (2, 2, 3, 2, 2)]:
        yield Case(f"small_N{N}C{C}_{H}x{W}_p{P}", (_dec(rng, (N, C, H, W)), P))


# (H, W, FH, FW, b, S, P): the window, then bias, padding, stride, non-square shapes
_WINDOW_ROWS = [(2, 2, 1, 1, 0.0, 1, 0), (3, 3, 2, 2, 0.0, 1, 0), (3, 3, 2, 2, 0.5, 1, 0),
                (3, 3, 2, 2, 0.0, 1, 1), (3, 4, 2, 3, 0.0, 1, 0), (4, 4, 2, 2, 0.0, 2, 0),
                (4, 3, 2, 2, 0.0, 2, 1), (5, 5, 3, 3, 0.0, 2, 0), (5, 4, 3, 2, 0.5, 2, 1),
                (5, 5, 2, 3, 0.5, 3, 1)]


def single_lattice(rng):
    for H, W, FH, FW, b, S, P in _WINDOW_ROWS:
        yield Case(f"small_{H}x{W}_f{FH}x{FW}_b{b:g}_s{S}_p{P}",
                   (_dec(rng, (H, W)), _dec(rng, (FH, FW)), b, S, P))


def multi_lattice(rng):
    for C in (1, 2):
        for H, W, FH, FW, b, S, P in _WINDOW_ROWS:
            yield Case(f"small_C{C}_{H}x{W}_f{FH}x{FW}_b{b:g}_s{S}_p{P}",
                       (_dec(rng, (C, H, W)), _dec(rng, (C, FH, FW)), b, S, P))


_LAYER_ROWS = list(dict.fromkeys(                 # b is an array here: rows without the b
    (N, C, F, H, W, FH, FW, S, P)
    for N, C, F in [(1, 1, 1), (2, 1, 1), (1, 2, 1), (1, 1, 2), (2, 2, 2)]
    for H, W, FH, FW, _, S, P in _WINDOW_ROWS if (H, W, FH, FW) != (2, 2, 1, 1)))


def _layer_case(rng, N, C, F_, H, W, FH, FW, S, P, backward):
    x, w, b = _dec(rng, (N, C, H, W)), _dec(rng, (F_, C, FH, FW)), _dec(rng, (F_,))
    name = f"small_N{N}C{C}F{F_}_{H}x{W}_f{FH}x{FW}_s{S}_p{P}"
    if not backward:
        return Case(name, (x, w, b, S, P))
    OH, OW = (H + 2 * P - FH) // S + 1, (W + 2 * P - FW) // S + 1
    return Case(name, (_dec(rng, (N, F_, OH, OW)), x, w, b, S, P))


def layer_lattice(backward):
    def lattice(rng):
        for row in _LAYER_ROWS:
            yield _layer_case(rng, *row, backward=backward)
    return lattice


# (N, C, H, W, PH, PW, S): one window, overlapping windows, gaps, PH != PW, then N and C
_POOL_ROWS = [(1, 1, 2, 2, 2, 2, 2), (1, 1, 3, 3, 2, 2, 1), (1, 1, 4, 4, 2, 2, 2),
              (1, 1, 3, 4, 2, 3, 1), (1, 1, 4, 5, 2, 3, 2), (1, 1, 5, 5, 3, 3, 2),
              (1, 1, 5, 4, 3, 2, 2), (1, 1, 5, 5, 2, 2, 3), (2, 1, 3, 3, 2, 2, 1),
              (1, 2, 3, 3, 2, 2, 1), (2, 2, 5, 5, 3, 2, 2)]


def pool_lattice(backward):
    def lattice(rng):
        for k, (N, C, H, W, PH, PW, S) in enumerate(_POOL_ROWS):
            x = _distinct(rng, (N, C, H, W))
            if k % 3 == 1:
                x = x - np.abs(x).max() - 0.1      # all negative: a max started at 0 shows
            elif k % 3 == 2:
                x = x + np.abs(x).max() + 0.1      # all positive: a min started at 0 shows
            x = np.round(x * 10) / 10
            name = f"small_N{N}C{C}_{H}x{W}_p{PH}x{PW}_s{S}"
            if not backward:
                yield Case(name, (x, PH, PW, S))
            else:
                dout = _dec(rng, (N, C, (H - PH) // S + 1, (W - PW) // S + 1))
                yield Case(name, (dout, x, PH, PW, S))
    return lattice


def _rnn_params(rng, N, T, D, H, h0_zero=False):
    x = _dec(rng, (N, T, D))
    h0 = np.zeros((N, H)) if h0_zero else _dec(rng, (N, H), 0.5)
    return (x, h0, _dec(rng, (D, H), 0.5 / np.sqrt(D)), _dec(rng, (H, H), 0.5 / np.sqrt(H)),
            _dec(rng, (H,), 0.2))


_STEP_ROWS = [(1, 1, 1), (1, 2, 1), (1, 1, 2), (2, 1, 1), (1, 2, 2), (2, 2, 3), (2, 3, 2)]
_SEQ_ROWS = [(1, 1, 1, 1), (1, 2, 1, 1), (1, 2, 1, 2), (1, 2, 2, 2), (2, 2, 1, 1), (1, 3, 2, 2),
             (2, 3, 2, 3), (2, 3, 3, 2)]


def rnn_lattice(kind):
    def lattice(rng):
        if kind in ("step", "step_backward"):
            for N, D, H in _STEP_ROWS:
                x, h0, Wx, Wh, b = _rnn_params(rng, N, 1, D, H)
                args = (x[:, 0], h0, Wx, Wh, b)
                if kind == "step_backward":
                    args = (_dec(rng, (N, H)),) + args
                yield Case(f"small_N{N}_D{D}_H{H}", args)
            return
        for h0_zero in (True, False):
            for N, T, D, H in _SEQ_ROWS:
                params = _rnn_params(rng, N, T, D, H, h0_zero)
                name = f"small_N{N}_T{T}_D{D}_H{H}" + ("_h0zero" if h0_zero else "")
                if kind == "forward":
                    yield Case(name, params)
                elif kind == "backward":
                    yield Case(name, (_dec(rng, (N, T, H)),) + params)
                else:
                    for k in sorted({1, 2, T, T + 1}):
                        yield Case(f"{name}_k{k}", (_dec(rng, (N, T, H)),) + params + (k,))
    return lattice


def _lstm_params(rng, N, D, H, T=None, zero_state=False):
    x = _dec(rng, (N, D) if T is None else (N, T, D))
    h = np.zeros((N, H)) if zero_state else np.round(np.tanh(_dec(rng, (N, H))) * 100) / 100
    c = np.zeros((N, H)) if zero_state else _dec(rng, (N, H))
    return x, h, c, _dec(rng, (4 * H, H + D), 0.5 / np.sqrt(H + D)), _dec(rng, (4 * H,), 0.2)


def lstm_lattice(kind):
    def lattice(rng):
        if kind in ("gate", "step", "step_backward"):
            for zero in (True, False):
                for N, D, H in _STEP_ROWS:
                    x, h, c, W, b = _lstm_params(rng, N, D, H, zero_state=zero)
                    name = f"small_N{N}_D{D}_H{H}" + ("_zero_state" if zero else "")
                    if kind == "gate":
                        yield Case(name, (h, x, W[:H], b[:H]))
                    elif kind == "step":
                        yield Case(name, (x, h, c, W, b))
                    else:
                        yield Case(name, (_dec(rng, (N, H)), _dec(rng, (N, H)), x, h, c, W, b))
            return
        for zero in (True, False):
            for N, T, D, H in _SEQ_ROWS:
                x, h0, _, W, b = _lstm_params(rng, N, D, H, T=T, zero_state=zero)
                name = f"small_N{N}_T{T}_D{D}_H{H}" + ("_h0zero" if zero else "")
                if kind == "forward":
                    yield Case(name, (x, h0, W, b))
                else:
                    yield Case(name, (_dec(rng, (N, T, H)), x, h0, W, b))
    return lattice


LATTICES = {
    "conv_output_size": size_lattice, "zero_pad": pad_lattice,
    "conv2d_single": single_lattice, "conv2d_multi": multi_lattice,
    "conv_forward": layer_lattice(False), "conv_backward": layer_lattice(True),
    "max_pool_forward": pool_lattice(False), "avg_pool_forward": pool_lattice(False),
    "min_pool_forward": pool_lattice(False), "max_pool_backward": pool_lattice(True),
    "avg_pool_backward": pool_lattice(True),
    "rnn_step_forward": rnn_lattice("step"), "rnn_step_backward": rnn_lattice("step_backward"),
    "rnn_forward": rnn_lattice("forward"), "rnn_backward": rnn_lattice("backward"),
    "rnn_backward_truncated": rnn_lattice("truncated"),
    "forget_gate": lstm_lattice("gate"), "input_gate": lstm_lattice("gate"),
    "candidate_cell": lstm_lattice("gate"), "output_gate": lstm_lattice("gate"),
    "lstm_step_forward": lstm_lattice("step"), "lstm_step_backward": lstm_lattice("step_backward"),
    "lstm_forward": lstm_lattice("forward"), "lstm_backward": lstm_lattice("backward"),
}


def size(case: Case) -> tuple:
    """Smaller first: fewer array elements, then smaller numbers (the output size's)."""
    arrays = sum(a.size for a in case.args if isinstance(a, np.ndarray))
    numbers = sum(abs(a) for a in case.args if isinstance(a, (int, float, np.integer)))
    return arrays, numbers


class Lattice(oracle.CaseSet):
    """A problem's small cases (smallest first), then its public ones: the candidates of the
    search, with the oracle's answers (computed on first use, as for any case set)."""

    def __init__(self, problem: Problem, seed: int):
        self.problem, self.seed, self.hidden = problem, seed, False
        make = LATTICES.get(problem.name)
        small = sorted(make(np.random.default_rng(seed)), key=size) if make else []
        public = sorted(oracle.public_cases(problem, seed).cases, key=size)
        names = [c.name for c in small] + [c.name for c in public]
        if len(set(names)) != len(names):
            raise ValueError(f"{problem.name}: duplicate lattice case names")
        self.cases = tuple(small) + tuple(public)
        self.n_small = len(small)
        self._expected, self._mimicked = {}, {}


@lru_cache(maxsize=None)       # bounded in practice: one per problem and public seed
def lattice_of(problem: Problem, seed: int) -> Lattice:
    """A problem's lattice, kept for the process (its oracle answers are computed once)."""
    return Lattice(problem, seed)


def key(problem: str, case: str) -> str:
    return f"{problem}|shrink|{case}"


def calls(lattice: Lattice) -> list[sandbox.Call]:
    """The ungraded calls of the search (float64), in the problem's own "explain" group (its
    probes' too): a call that hangs or kills the child costs the explanation, never a grade."""
    p = lattice.problem
    return [sandbox.Call(key(p.name, c.name), f"explain:{p.name}", p.name,
                         oracle.cast_args(c.args, "float64"),
                         1 if p.packed else len(p.outputs)) for c in lattice.cases]


def _fails(lattice: Lattice, case: Case, r, tol: Tol) -> tuple[bool, tuple | None, str | None]:
    """(fails, the student's outputs, the error or the exception raised)."""
    if case.raises is not None:
        ok = case.raises.__name__ in (r.raised_mro or (r.raised,))
        return not ok, r.outputs, r.error
    if r.outputs is None:
        return True, None, r.error
    outputs, why = unpack(lattice.problem, r.outputs)
    if outputs is None:
        return True, None, why
    expected = lattice.expected("float64", "cpu")[case.name]
    return not all(close(a, e, tol) for a, e in zip(outputs, expected)), outputs, None


def _array_text(a) -> str:
    """An exact, runnable literal: np.array([...]) with the shortest digits that read back."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return repr(float(a))
    body = np.array2string(a, separator=", ", threshold=10**6, max_line_width=10**6,
                           floatmode="unique").replace("\n", "")
    return f"np.array({' '.join(body.split())})"


def _value_text(a, digits: int = 4) -> str:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return f"{float(a):.{digits}g}"
    return " ".join(np.array2string(a, precision=digits, suppress_small=True, threshold=200,
                                    max_line_width=10**6).split())


# what a small case has, read from its name (the lattices above name every size they set):
# the features that can separate the failing small cases from the passing ones
_NUMBER = r"(-?\d+(?:\.\d+)?)"
FEATURES = {   # feature: (what in the name, the predicate on the number(s) found)
    "stride": (r"_s(\d+)(?:_|$)", lambda s: s > 1),
    "padding": (r"_p(\d+)(?:_|$)", lambda p: p > 0),
    "bias": (r"_b" + _NUMBER, lambda b: b != 0),
    "batch": (r"_N(\d+)", lambda n: n > 1),
    "channels": (r"C(\d+)", lambda c: c > 1),
    "filters": (r"F(\d+)_", lambda f: f > 1),
    "steps": (r"_T(\d+)", lambda t: t > 1),
    "nonzero_state": (r"(_h0zero|_zero_state)?$", None),
    "overlap": (r"_p(\d+)x(\d+)_s(\d+)", lambda ph, pw, s: s < ph or s < pw),
    "non_square": (r"_[fp](\d+)x(\d+)", lambda h, w: h != w),
    "truncated": (r"_T(\d+)_D\d+_H\d+(?:_h0zero)?_k(\d+)", lambda t, k: k < t),
}


def features(case: Case) -> dict[str, bool]:
    """The features of a small case, from its name (only those its name states)."""
    import re
    out = {}
    for name, (pattern, test) in FEATURES.items():
        m = re.search(pattern, case.name[len("small"):] if case.name.startswith("small") else "")
        if m is None:
            continue
        if test is None:
            out[name] = not m.group(1)
        else:
            out[name] = bool(test(*(float(g) for g in m.groups())))
    return out


def only_when(verdicts: list[tuple[Case, bool]]) -> str:
    """The feature that exactly the failing small cases have ("stride": every small case
    with stride > 1 fails, every other passes), or ""."""
    if not any(f for _, f in verdicts) or all(f for _, f in verdicts):
        return ""
    known = [(features(case), fails) for case, fails in verdicts if case.raises is None]
    for name in FEATURES:
        have = [(f[name], fails) for f, fails in known if name in f]
        if len(have) == len(known) and have and all(a == b for a, b in have):
            return name
    return ""


def minimal(lattice: Lattice, results: dict, tol: Tol, arg_names: list[str]) -> dict | None:
    """The first failing case of `lattice` (smallest first) as a record of plain words: the
    setup lines and the call, the wrong outputs with the expected and the student's values
    (or the error), and whether it is a public case. None when no candidate fails."""
    p = lattice.problem
    verdicts = []
    for case in lattice.cases[:lattice.n_small]:
        r = results.get(key(p.name, case.name))
        if r is not None and not (r.error or "").startswith("not run"):
            verdicts.append((case, _fails(lattice, case, r, tol)[0]))
    for index, case in enumerate(lattice.cases):
        r = results.get(key(p.name, case.name))
        if r is None or (r.error or "").startswith("not run"):
            continue                  # never called: an earlier call hung or killed the child
        fails, outputs, error = _fails(lattice, case, r, tol)
        if not fails:
            continue
        setup, shown = [], []
        for i, a in enumerate(case.args):
            name = arg_names[i] if i < len(arg_names) else f"arg{i}"
            if isinstance(a, np.ndarray):
                setup.append(f"{name} = {_array_text(a)}")
                shown.append(name)
            elif isinstance(a, (list, tuple)) and any(isinstance(v, np.ndarray) for v in a):
                items = ", ".join(_array_text(v) if isinstance(v, np.ndarray) else repr(v)
                                  for v in a)
                setup.append(f"{name} = [{items}]" if isinstance(a, list) else
                             f"{name} = ({items}{',' if len(a) == 1 else ''})")
                shown.append(name)
            else:
                shown.append(repr(a.item() if isinstance(a, np.generic) else a))
        record = {"case": case.name, "public": int(index >= lattice.n_small),
                  "setup": setup, "call": f"{p.name}({', '.join(shown)})", "outputs": [],
                  "error": "", "raises": case.raises.__name__ if case.raises else "",
                  "only_when": only_when(verdicts), "n_small": len(verdicts),
                  "n_failing": sum(f for _, f in verdicts)}
        if case.raises is not None:
            record["error"] = error or ("returned " + ", ".join(_value_text(a) for a in outputs)
                                        if outputs else "returned nothing")
        elif outputs is None:
            record["error"] = error or "no output"
        else:
            expected = lattice.expected("float64", "cpu")[case.name]
            for name, a, e in zip(p.outputs, outputs, expected):
                if not close(a, e, tol):
                    # enough digits to see the difference (4, or more for a small one)
                    texts = next(((_value_text(e, d), _value_text(a, d)) for d in (4, 6, 8, 12, 17)
                                  if _value_text(e, d) != _value_text(a, d)),
                                 (_value_text(e), _value_text(a)))
                    record["outputs"].append([name, *texts])
        return record
    return None
