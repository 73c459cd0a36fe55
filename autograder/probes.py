"""Probes: ungraded calls on inputs designed to show what the student's code does.

The inputs are fixed (they reveal nothing hidden), and each probe reads the student's answers
into a statement of fact, a `Pattern` the reporters put into words:
- windowed forward functions (pooling, convolution): an impulse at one pixel at a time, of
  both signs (max and min pooling see one of them), on a blank image; the output positions
  that change are the ones that read that pixel. From that map, the window each output reads
  ("output (i, j) reads the 3x2 window starting at (3i, 3j)") is compared with the one it
  should read ("... at (2i, 2j)").
- the output-size formula: one argument changed at a time; which outputs change with which
  argument, against which should ("OW depends on FH").
- pooling backward (linear in dout): each window's upstream gradient alone, on overlapping
  windows, against the oracle's; a window whose gradient is lost only where a later window
  overlaps it was overwritten by that window instead of added to.
A probe that cannot fit what it sees says nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from autograder import sandbox
from autograder.diagnose import Pattern
from autograder.registry import Problem, unpack

# the described patterns a probe's finding replaces: they say where the difference is, or (off_by)
# a constant that may be a coincidence of the cases where the probe sees the cause
WEAKER = ("largest", "other", "shape", "off_by")


@dataclass
class Planned:
    calls: list = field(default_factory=list)
    read: Callable[[dict], Pattern | None] = lambda results: None


def _key(problem: str, name: str) -> str:
    return f"{problem}|probe|{name}"


# ---------------------------------------------------------------- window probes
# a 7x7 image, a 3x2 window, stride 2, no padding: PH != PW != S, so each of the usual
# window mistakes (not strided, moved by its own size, PH and PW swapped) reads differently
SIDE, WH, WW, STRIDE = 7, 3, 2, 2

_WINDOWED = {
    # problem: (the image as the function takes it, the rest of the arguments)
    "max_pool_forward": lambda x: (x[None, None], WH, WW, STRIDE),
    "min_pool_forward": lambda x: (x[None, None], WH, WW, STRIDE),
    "avg_pool_forward": lambda x: (x[None, None], WH, WW, STRIDE),
    "conv_forward": lambda x: (x[None, None], np.ones((1, 1, WH, WW)), np.zeros(1), STRIDE, 0),
    "conv2d_single": lambda x: (x, np.ones((WH, WW)), 0.0, STRIDE, 0),
    "conv2d_multi": lambda x: (x[None], np.ones((1, WH, WW)), 0.0, STRIDE, 0),
}


def _impulses():
    yield "blank", np.zeros((SIDE, SIDE))
    for r in range(SIDE):
        for c in range(SIDE):
            for sign in (1, -1):
                x = np.zeros((SIDE, SIDE))
                x[r, c] = sign
                yield f"{r}_{c}_{'+' if sign > 0 else '-'}", x


def _fit_axis(starts: np.ndarray) -> tuple[int, int] | None:
    """starts[k] = step * k + offset for every k, as (step, offset); None otherwise."""
    if starts.size == 0:
        return None
    offset = int(starts[0])
    step = int(starts[1] - starts[0]) if starts.size > 1 else 0
    ks = np.arange(starts.size)
    return (step, offset) if np.array_equal(starts, step * ks + offset) else None


def _origin(step: int, offset: int) -> str:
    """`3i`, `i + 1`, `0`: where a window starts along one axis, as a formula."""
    if step == 0:
        return str(offset)
    base = "i" if step == 1 else f"{step}i"
    return base if offset == 0 else f"{base} {'+' if offset > 0 else '-'} {abs(offset)}"


def _read_windows(problem: Problem, results: dict) -> Pattern | None:
    outs = {}
    for name, _ in _impulses():
        r = results.get(_key(problem.name, name))
        if r is None or r.outputs is None:
            return None
        got, _why = unpack(problem, r.outputs)
        if got is None or got[0].ndim < 2:
            return None
        outs[name] = got[0]
    blank = outs.pop("blank")
    if any(a.shape != blank.shape for a in outs.values()):
        return None
    OH, OW = blank.shape[-2:]
    reads = np.zeros((OH, OW, SIDE, SIDE), dtype=bool)
    for name, a in outs.items():
        r, c, _ = name.split("_")
        changed = np.abs(a - blank) > 1e-9
        reads[:, :, int(r), int(c)] |= changed.reshape(-1, OH, OW).any(axis=0)
    boxes = {}
    for i in range(OH):
        for j in range(OW):
            rows, cols = np.nonzero(reads[i, j])
            if rows.size == 0:
                return None
            r0, r1, c0, c1 = rows.min(), rows.max(), cols.min(), cols.max()
            if reads[i, j, r0:r1 + 1, c0:c1 + 1].sum() != rows.size:
                return None                     # not a rectangle: no window to name
            boxes[i, j] = (r0, r1 - r0 + 1, c0, c1 - c0 + 1)
    heights = {b[1] for b in boxes.values()}
    widths = {b[3] for b in boxes.values()}
    if len(heights) != 1 or len(widths) != 1:
        return None
    down = _fit_axis(np.array([boxes[i, 0][0] for i in range(OH)]))
    across = _fit_axis(np.array([boxes[0, j][2] for j in range(OW)]))
    if down is None or across is None or any(
            boxes[i, j][0] != boxes[i, 0][0] or boxes[i, j][2] != boxes[0, j][2]
            for i in range(OH) for j in range(OW)):
        return None
    h, w = heights.pop(), widths.pop()
    if (h, w) == (WH, WW) and down[1] == across[1] == 0 \
            and down[0] in (STRIDE, 0) and across[0] in (STRIDE, 0):
        return None                             # reads as it should (the shape may not be)
    steps = {s for s, _ in (down, across) if OH > 1 and OW > 1}
    remark = ("probe.window.not_strided" if steps == {1} else
              "probe.window.by_size" if down[0] == h and across[0] == w and h != STRIDE else
              "probe.window.transposed" if (h, w) == (WW, WH) else "")
    return Pattern("probe.window", {
        "h": h, "w": w, "at": f"({_origin(*down)}, {_origin(*across).replace('i', 'j')})",
        "eh": WH, "ew": WW, "eat": f"({STRIDE}i, {STRIDE}j)", "stride": STRIDE,
        "side": SIDE, "remark": remark})


def _plan_windows(problem: Problem) -> Planned:
    make = _WINDOWED[problem.name]
    n_out = 1 if problem.packed else len(problem.outputs)
    calls = [sandbox.Call(_key(problem.name, name), f"explain:{problem.name}", problem.name,
                          make(x), n_out) for name, x in _impulses()]
    return Planned(calls, lambda results: _read_windows(problem, results))


# ---------------------------------------------------------------- the output-size formula
SIZE_BASE = (8, 9, 3, 2, 1, 1)          # H, W, FH, FW, P, S: every output a plain difference
SIZE_ARGS = ("H", "W", "FH", "FW", "P", "S")
# which arguments each output depends on: OH = (H + 2P - FH) // S + 1, OW likewise
SIZE_DEPENDS = {"OH": {"H", "FH", "P", "S"}, "OW": {"W", "FW", "P", "S"}}


def _size_variants():
    yield "base", SIZE_BASE
    for k, name in enumerate(SIZE_ARGS):
        row = list(SIZE_BASE)
        row[k] += 1
        yield name, tuple(row)


def _read_size(problem: Problem, results: dict) -> Pattern | None:
    got = {}
    for name, _ in _size_variants():
        r = results.get(_key(problem.name, name))
        if r is None or r.outputs is None:
            return None
        values, _why = unpack(problem, r.outputs)
        if values is None:
            return None
        got[name] = [float(v) for v in values]
    for k, output in enumerate(problem.outputs):
        if output not in SIZE_DEPENDS:
            return None
        moves = {a for a in SIZE_ARGS if got[a][k] != got["base"][k]}
        extra = sorted(moves - SIZE_DEPENDS[output], key=SIZE_ARGS.index)
        missing = sorted(SIZE_DEPENDS[output] - moves, key=SIZE_ARGS.index)
        if extra:
            return Pattern("probe.depends_extra", {"output": output, "args": ", ".join(extra)})
        if missing:
            return Pattern("probe.depends_missing", {"output": output, "args": ", ".join(missing)})
    return None


def _plan_size(problem: Problem) -> Planned:
    calls = [sandbox.Call(_key(problem.name, name), f"explain:{problem.name}", problem.name, row, 1)
             for name, row in _size_variants()]
    return Planned(calls, lambda results: _read_size(problem, results))


# ---------------------------------------------------------------- overlapping windows, backward
# a 5x5 image whose centre is the maximum of every 3x3 window (stride 1): all nine windows
# overlap there; each window's upstream gradient alone
_PEAK = -((np.arange(5)[:, None] - 2.0) ** 2 + (np.arange(5)[None, :] - 2.0) ** 2) \
    + np.arange(25).reshape(5, 5) / 100
_DOUT = np.arange(1.0, 10.0).reshape(3, 3)


def _overlap_calls():
    for i in range(3):
        for j in range(3):
            d = np.zeros((3, 3))
            d[i, j] = _DOUT[i, j]
            yield f"{i}_{j}", d


def _read_overlap(problem: Problem, results: dict) -> Pattern | None:
    """Each window's gradient alone against the oracle's: wrong only where a window that comes
    later (row-major, as a loop visits them) overlaps it, and right for the last window, is a
    gradient overwritten by the next window instead of added to."""
    from autograder import oracle
    later = np.zeros((3, 3, 5, 5), dtype=bool)        # pixels a later window also covers
    for i in range(3):
        for j in range(3):
            for k in range(i * 3 + j + 1, 9):
                later[i, j, k // 3:k // 3 + 3, k % 3:k % 3 + 3] = True
    wrong = []
    for name, d in _overlap_calls():
        r = results.get(_key(problem.name, name))
        if r is None or r.outputs is None:
            return None
        values, _why = unpack(problem, r.outputs)
        if values is None or values[0].shape != (1, 1, 5, 5):
            return None
        args = (d[None, None], _PEAK[None, None].copy(), 3, 3, 1)
        expected = oracle.evaluate(problem.oracle, args, "float64", "cpu")[0]
        differ = np.abs(values[0] - expected)[0, 0] > 1e-9 * (1 + np.abs(expected[0, 0]))
        i, j = map(int, name.split("_"))
        if differ.any():
            if (differ & ~later[i, j]).any():
                return None                             # wrong elsewhere: something else
            wrong.append((i, j))
    if wrong and (2, 2) not in wrong:
        return Pattern("probe.overwrites", {"output": problem.outputs[0]})
    return None


def _plan_overlap(problem: Problem) -> Planned:
    calls = [sandbox.Call(_key(problem.name, name), f"explain:{problem.name}", problem.name,
                          (d[None, None], _PEAK[None, None].copy(), 3, 3, 1), 1)
             for name, d in _overlap_calls()]
    return Planned(calls, lambda results: _read_overlap(problem, results))


def plan(problem: Problem, seed: int = 0) -> Planned:
    """The probe calls for `problem` (none where no probe applies) and how to read them."""
    if problem.name in _WINDOWED:
        return _plan_windows(problem)
    if problem.name == "conv_output_size":
        return _plan_size(problem)
    if problem.name in ("max_pool_backward", "avg_pool_backward"):
        return _plan_overlap(problem)
    return Planned()
