"""A synthetic class for 01_convolution, built from the bundled examples: students who wrote
every function on their own in the lecture's loop style (each makes the choices a student
makes: how to pad, where the bias goes, loop order, how to take a window, what to name
things, what to comment), students with the bundled typical mistakes (examples/mistakes), pairs
who copied a whole notebook (renamed variables, reordered functions, rewritten comments), and
two students whose conv_backward gives the same wrong answer, byte for byte, from code that
does not look alike.

`make_class(n, seed)` -> Class: {student: source}, the copying pairs, the shared-bug pair, and
each student's mistakes ({student: {problem: diagnosis or None}}).
"""
from __future__ import annotations

import ast
import random
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "examples" / "mistakes" / "01_convolution"
PROBLEMS = ("conv_output_size", "zero_pad", "conv2d_single", "conv2d_multi", "conv_forward",
            "conv_backward")

NAMES = {
    "out": ["out", "result", "res", "output", "y", "feature_map", "o", "conv_out"],
    "xp": ["xp", "x_pad", "padded", "xpad", "x_padded", "xp_", "inp", "img_p"],
    "ij": [("i", "j"), ("h", "w_"), ("r", "c"), ("row", "col"), ("oh", "ow"), ("y0", "x0"),
           ("ii", "jj"), ("p", "q")],
    "n": ["n", "b_i", "idx", "img", "k", "s"],
    "f": ["f", "fi", "m", "filt", "kk", "oc"],
    "win": ["window", "patch", "region", "piece", "sl", "chunk", "field", "view"],
    "hs": [("hs", "ws"), ("h0", "w0"), ("top", "left"), ("si", "sj"), ("a", "b0"), ("r0", "c0")],
    "size": [("OH", "OW"), ("H_out", "W_out"), ("oh_", "ow_"), ("Ho", "Wo"), ("out_h", "out_w")],
    "dx": ["dxp", "dx_pad", "dpad", "gx", "dxpad", "grad_xp"],
    "g": ["g", "d", "up", "gr", "dval", "go"],
}
COMMENTS = ["# loop over every output position", "# the window under the filter",
            "# add the bias once", "# as in the lecture", "# pad first", "# TODO: vectorise",
            "# sum over channels", "# compute the output size", "# step by the stride",
            "# gradient flows back to the window", "# accumulate", "# done"]


@dataclass
class Student:
    choices: dict
    names: dict
    bugs: dict = field(default_factory=dict)      # problem -> bug option of the renderer
    style: int = 0                                # the seed of the student's small habits


class Style:
    """A student's small habits, drawn in the order the renderer asks for them: `stride * i`
    or `i * stride`, `range(0, n)`, a dtype on zeros, an assert or a cast here and there."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, *options):
        return self.rng.choice(options)

    def mul(self, a: str, b: str) -> str:
        return self.pick(f"{a} * {b}", f"{b} * {a}")

    def add(self, a: str, b: str) -> str:
        return self.pick(f"{a} + {b}", f"{b} + {a}")

    def range(self, n: str) -> str:
        return self.pick(f"range({n})", f"range(0, {n})", f"range({n})")

    def zeros(self, shape: str) -> str:
        return self.pick(f"np.zeros(({shape}))", f"np.zeros(({shape}), dtype=float)",
                         f"np.zeros([{shape}])", f"np.zeros(({shape}), dtype=np.float64)")

    def at(self, array: str, *index: str) -> str:
        """An element: `a[i, j]` or `a[i][j]`."""
        return self.pick(f"{array}[{', '.join(index)}]", array + "".join(f"[{i}]" for i in index))

    def extra(self, ind: str, lines: list[str]) -> str:
        """Now and then one of a student's own lines (a check, a cast, a copy)."""
        if self.rng.random() < 0.6:
            return ind + self.rng.choice(lines) + "\n"
        return ""


def _pick(rng: random.Random) -> dict:
    return {role: rng.choice(options) for role, options in NAMES.items()}


def _comment(rng, indent: str) -> str:
    return f"{indent}{rng.choice(COMMENTS)}\n" if rng.random() < 0.5 else ""


# ----------------------------------------------------------------------------- renderers
# Each takes the student's choices c, names v, a Random for comments, and a bug option.

def r_size(c, v, rng, bug=None, st=None):
    OH, OW = v["size"]
    checks = {
        "sizes": ["    if min(H, W, FH, FW) <= 0:\n        raise ValueError('sizes must be positive')\n",
                  "    for dim in (H, W, FH, FW):\n        if dim <= 0:\n            raise ValueError(f'bad size {dim}')\n",
                  "    if H <= 0 or W <= 0 or FH <= 0 or FW <= 0:\n        raise ValueError('non-positive size')\n"][c["size_val"]],
        "stride": st.pick("    if S < 1:\n        raise ValueError('stride < 1')\n",
                          "    if S <= 0:\n        raise ValueError('stride must be >= 1')\n",
                          "    if not S >= 1:\n        raise ValueError('bad stride')\n"),
        "pad": st.pick("    if P < 0:\n        raise ValueError('negative padding')\n",
                       "    if P <= -1:\n        raise ValueError('padding < 0')\n"),
        "fit": [st.pick("    if FH > H + 2 * P or FW > W + 2 * P:\n        raise ValueError('filter too big')\n",
                        "    if FH > 2 * P + H or FW > 2 * P + W:\n        raise ValueError('too big')\n"),
                "    if H + 2 * P - FH < 0 or W + 2 * P - FW < 0:\n        raise ValueError('the filter does not fit')\n"][c["size_fit"]],
    }
    body = "".join(checks[k] for k in c["size_order"])
    plus = "" if bug == "no_plus_one" else " + 1"
    two_p = st.pick("2 * P", "P * 2", "P + P")
    formula = [f"(H + {two_p} - FH) // S{plus}", f"(H - FH + {two_p}) // S{plus}",
               f"int((H + {two_p} - FH) / S){plus}"][c["size_formula"]]
    formula_w = formula.replace("H", "W")
    if c["size_ret"] == 0:
        tail = f"    {OH} = {formula}\n    {OW} = {formula_w}\n" + st.extra("    ", [
            f"{OH}, {OW} = int({OH}), int({OW})", f"assert {OH} > 0 and {OW} > 0"]) \
            + st.pick(f"    return {OH}, {OW}\n", f"    return ({OH}, {OW})\n")
    else:
        tail = f"    return ({formula}, {formula_w})\n"
    return "def conv_output_size(H, W, FH, FW, P, S):\n" + _comment(rng, "    ") + body + tail


def r_pad(c, v, rng, bug=None, st=None):
    if c["pad"] == 0:
        body = "    return np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))\n"
    elif c["pad"] == 1:
        body = "    return np.pad(x, [(0, 0), (0, 0), (P, P), (P, P)], mode='constant')\n"
    elif c["pad"] == 2:
        body = "    widths = ((0, 0),) * 2 + ((P, P),) * 2\n    return np.pad(x, widths, constant_values=0)\n"
    else:
        o = v["out"]
        body = (f"    N, C, H, W = x.shape\n    {o} = {st.zeros('N, C, H + 2 * P, W + 2 * P')}\n"
                f"    {o}[:, :, P:P + H, P:P + W] = x\n    return {o}\n")
    return "def zero_pad(x, P):\n" + _comment(rng, "    ") + body


def _product(c, win, filt, st):
    return [st.pick(f"np.sum({win} * {filt})", f"np.sum({filt} * {win})"),
            st.pick(f"({win} * {filt}).sum()", f"({filt} * {win}).sum()"),
            f"np.vdot({win}, {filt})", f"np.sum(np.multiply({win}, {filt}))"][c["product"]]


def _window(st, xp, lead, i, j, hs, ws, style):
    """The lines that take the window at output (i, j); `lead` indexes the leading axes."""
    if style == 0:
        he, we = hs + "_end", ws + "_end"
        first = st.pick(f"{hs}, {ws} = {st.mul(i, 'stride')}, {st.mul(j, 'stride')}",
                        f"{hs} = {st.mul(i, 'stride')}\n{{ind}}{ws} = {st.mul(j, 'stride')}")
        if st.pick(0, 1):
            return [first, f"{he}, {we} = {st.add(hs, 'FH')}, {st.add(ws, 'FW')}",
                    f"{{win}} = {xp}[{lead}{hs}:{he}, {ws}:{we}]"]
        return [first, f"{{win}} = {xp}[{lead}{hs}:{st.add(hs, 'FH')}, {ws}:{st.add(ws, 'FW')}]"]
    a, b = st.mul(i, "stride"), st.mul(j, "stride")
    return [f"{{win}} = {xp}[{lead}{a}:{a} + FH, {b}:{b} + FW]"]


def r_single(c, v, rng, bug=None, st=None):
    o, xp, (i, j), win, (hs, ws), (OH, OW) = v["out"], v["xp"], v["ij"], v["win"], v["hs"], v["size"]
    pad = [f"    {xp} = np.pad(x, pad)\n", f"    {xp} = np.pad(x, ((pad, pad), (pad, pad)))\n",
           f"    {xp} = {st.zeros('x.shape[0] + 2 * pad, x.shape[1] + 2 * pad')}\n"
           f"    {xp}[pad:pad + x.shape[0], pad:pad + x.shape[1]] = x\n"][c["single_pad"]]
    if c["sizes_from"] == 0:
        sizes = (st.pick("    H, W = x.shape\n    FH, FW = w.shape\n",
                         "    FH, FW = w.shape\n    H, W = x.shape\n",
                         "    H, W = x.shape[0], x.shape[1]\n    FH, FW = w.shape[0], w.shape[1]\n")
                 + f"    {OH} = (H + 2 * pad - FH) // stride + 1\n    {OW} = (W + 2 * pad - FW) // stride + 1\n")
    else:
        sizes = (f"    FH, FW = w.shape\n    {OH} = ({xp}.shape[0] - FH) // stride + 1\n"
                 f"    {OW} = ({xp}.shape[1] - FW) // stride + 1\n")
    head = pad + sizes if c["sizes_from"] == 1 else sizes + pad
    head += st.extra("    ", ["assert x.ndim == 2 and w.ndim == 2", "stride, pad = int(stride), int(pad)",
                              "w = np.asarray(w, dtype=float)", f"assert {OH} > 0",
                              "x = np.array(x, dtype=np.float64)", f"assert {OW} >= 1"])
    alloc = f"    {o} = {st.zeros(f'{OH}, {OW}')}\n"
    bias_in = c["bias"] == 0 and bug != "bias_missing"
    ind = "            "
    take = "".join(ind + line.format(ind=ind, win=win) + "\n"
                   for line in _window(st, xp, "", i, j, hs, ws, c["window"]))
    value = _product(c, win, "w", st) + (" + b" if bias_in else "")
    loops = (f"    for {i} in {st.range(OH)}:\n        for {j} in {st.range(OW)}:\n{take}"
             f"{_comment(rng, ind)}{ind}{st.at(o, i, j)} = {value}\n")
    after = st.pick(f"    {o} += b\n", f"    {o} = {o} + b\n") if c["bias"] == 1 and bug != "bias_missing" else ""
    ret = f"    return {o}\n" if c["bias"] != 2 or bug == "bias_missing" else f"    return {o} + b\n"
    return "def conv2d_single(x, w, b=0.0, stride=1, pad=0):\n" + head + alloc + loops + after + ret


def r_multi(c, v, rng, bug=None, st=None):
    o, xp, (i, j), win, (hs, ws), (OH, OW) = v["out"], v["xp"], v["ij"], v["win"], v["hs"], v["size"]
    if c["multi"] == 0:          # built on conv2d_single, one channel at a time
        ch = v["f"]
        if st.pick(0, 1):
            return ("def conv2d_multi(x, w, b=0.0, stride=1, pad=0):\n" + _comment(rng, "    ")
                    + f"    {o} = conv2d_single(x[0], w[0], 0.0, stride, pad)\n"
                    f"    for {ch} in range(1, x.shape[0]):\n"
                    f"        {o} = {o} + conv2d_single(x[{ch}], w[{ch}], 0.0, stride, pad)\n"
                    f"    return {o} + b\n")
        return ("def conv2d_multi(x, w, b=0.0, stride=1, pad=0):\n" + _comment(rng, "    ")
                + f"    maps = [conv2d_single(x[{ch}], w[{ch}], 0.0, stride, pad) for {ch} in {st.range('len(x)')}]\n"
                + st.pick(f"    return np.sum(maps, axis=0) + b\n", f"    return sum(maps) + b\n"))
    pad = [f"    {xp} = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))\n",
           f"    {xp} = np.pad(x, [(0, 0), (pad, pad), (pad, pad)], mode='constant')\n"][c["multi_pad"]]
    sizes = (st.pick("    C, H, W = x.shape\n    _, FH, FW = w.shape\n",
                     "    C, H, W = x.shape\n    FH, FW = w.shape[1], w.shape[2]\n",
                     "    C = x.shape[0]\n    H, W = x.shape[1:]\n    FH, FW = w.shape[1:]\n")
             + st.pick(f"    {OH} = (H + 2 * pad - FH) // stride + 1\n    {OW} = (W + 2 * pad - FW) // stride + 1\n",
                       f"    {OH}, {OW} = (H + 2 * pad - FH) // stride + 1, (W + 2 * pad - FW) // stride + 1\n",
                       f"    {OH} = (H - FH + 2 * pad) // stride + 1\n    {OW} = (W - FW + 2 * pad) // stride + 1\n"))
    ind = "            "
    if c["multi"] == 1:
        inner = "".join(ind + line.format(ind=ind, win=win) + "\n"
                        for line in _window(st, xp, ":, ", i, j, hs, ws, c["window"]))
        inner += f"{ind}{st.at(o, i, j)} = {_product(c, win, 'w', st)} + b\n"
    else:
        ch = v["f"]
        a, b_ = st.mul(i, "stride"), st.mul(j, "stride")
        product = st.pick(f"np.sum({xp}[{ch}, {a}:{a} + FH, {b_}:{b_} + FW] * w[{ch}])",
                          f"({xp}[{ch}, {a}:{a} + FH, {b_}:{b_} + FW] * w[{ch}]).sum()",
                          f"np.sum(w[{ch}] * {xp}[{ch}, {a}:{a} + FH, {b_}:{b_} + FW])")
        inner = (f"{ind}{st.pick('total', 'acc', 's_')} = {st.pick('0.0', '0', 'b')}\n{ind}for {ch} in {st.range('C')}:\n"
                 f"{ind}    TOT {st.pick('+=', '= TOT +')} {product}\n"
                 f"{ind}{st.at(o, i, j)} = TOT + b\n")
        start = inner.split(" = ")[0].strip()
        if " = b\n" in inner:
            inner = inner.replace("TOT + b\n", "TOT\n")
        inner = inner.replace("TOT", start)
    return ("def conv2d_multi(x, w, b=0.0, stride=1, pad=0):\n" + sizes + pad
            + st.extra("    ", ["assert x.shape[0] == w.shape[0]", "C = int(C)", "b = float(b)",
                                    "assert x.ndim == 3", "stride = int(stride)", "w = np.asarray(w)"])
            + f"    {o} = {st.zeros(f'{OH}, {OW}')}\n" + _comment(rng, "    ")
            + f"    for {i} in {st.range(OH)}:\n        for {j} in {st.range(OW)}:\n" + inner
            + f"    return {o}\n")


def r_forward(c, v, rng, bug=None, st=None):
    o, xp, (i, j), n, f, win, (hs, ws), (OH, OW) = (v["out"], v["xp"], v["ij"], v["n"], v["f"],
                                                    v["win"], v["hs"], v["size"])
    if c["forward"] == 2:       # built on conv2d_multi
        return ("def conv_forward(x, w, b, stride, pad):\n" + _comment(rng, "    ")
                + f"    {o} = np.stack([np.stack([conv2d_multi(x[{n}], w[{f}], b[{f}], stride, pad)\n"
                f"                          for {f} in {st.range('w.shape[0]')}])\n"
                f"                for {n} in {st.range('x.shape[0]')}])\n    return {o}\n")
    unpack = [st.pick("    N, C, H, W = x.shape\n    F, _, FH, FW = w.shape\n",
                      "    F, _, FH, FW = w.shape\n    N, C, H, W = x.shape\n"),
              "    N, C, H, W = x.shape\n    F = w.shape[0]\n    FH, FW = w.shape[2], w.shape[3]\n"][c["unpack"]]
    pad = ["    {xp} = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))\n",
           "    {xp} = zero_pad(x, pad)\n",
           "    {xp} = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], mode='constant')\n"][c["fwd_pad"]].format(xp=xp)
    sizes = [f"    {OH} = (H + 2 * pad - FH) // stride + 1\n    {OW} = (W + 2 * pad - FW) // stride + 1\n",
             f"    {OH}, {OW} = conv_output_size(H, W, FH, FW, pad, stride)\n",
             f"    {OH} = ({xp}.shape[2] - FH) // stride + 1\n    {OW} = ({xp}.shape[3] - FW) // stride + 1\n"][c["fwd_size"]]
    head = unpack + (pad + sizes if c["fwd_size"] == 2 or st.pick(0, 1) else sizes + pad)
    head += st.extra("    ", ["assert C == w.shape[1]", "stride = int(stride)", "b = np.asarray(b)",
                              "x = x.astype(np.float64)", "assert x.ndim == 4", "pad = int(pad)",
                              "w = np.asarray(w)", "assert b.shape == (F,)"])
    alloc = f"    {o} = {st.zeros(f'N, F, {OH}, {OW}')}\n"
    bias = c["bias"] if bug != "bias_missing" else 9
    value = _product(c, win, f"w[{f}]", st) + (f" + b[{f}]" if bias == 0 else "")
    orders = [(n, "N", f, "F", i, OH, j, OW), (n, "N", i, OH, j, OW, f, "F"), (f, "F", n, "N", i, OH, j, OW)]
    seq = orders[c["loop_order"]]
    loops, ind = "", "    "
    for k in range(0, 8, 2):
        loops += f"{ind}for {seq[k]} in {st.range(seq[k + 1])}:\n"
        ind += "    "
    loops += "".join(ind + line.format(ind=ind, win=win) + "\n"
                     for line in _window(st, xp, f"{n}, :, ", i, j, hs, ws, c["window"]))
    loops += _comment(rng, ind) + f"{ind}{st.at(o, n, f, i, j)} = {value}\n"
    after = {1: st.pick(f"    {o} += b[None, :, None, None]\n", f"    {o} += b.reshape(1, F, 1, 1)\n"),
             2: f"    {o} = {o} + b.reshape(1, -1, 1, 1)\n"}.get(bias, "")
    return "def conv_forward(x, w, b, stride, pad):\n" + head + alloc + loops + after + f"    return {o}\n"


def r_backward(c, v, rng, bug=None, st=None):
    (i, j), n, f, (hs, ws), dx, g, (OH, OW), xp = (v["ij"], v["n"], v["f"], v["hs"], v["dx"],
                                                   v["g"], v["size"], v["xp"])
    unpack = [st.pick("    N, C, H, W = x.shape\n    F, _, FH, FW = w.shape\n    _, _, {OH}, {OW} = dout.shape\n",
                      "    N, C, H, W = x.shape\n    _, _, {OH}, {OW} = dout.shape\n    F, _, FH, FW = w.shape\n"),
              "    N, C, H, W = x.shape\n    F, FH, FW = w.shape[0], w.shape[2], w.shape[3]\n"
              "    {OH}, {OW} = dout.shape[2], dout.shape[3]\n"][c["unpack"]].format(OH=OH, OW=OW)
    pad = ["    {xp} = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))\n",
           "    {xp} = zero_pad(x, pad)\n",
           "    {xp} = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], mode='constant')\n"][c["fwd_pad"]].format(xp=xp)
    alloc = (f"    {dx} = np.zeros_like({xp})\n    dw = np.zeros_like(w)\n" if c["bwd_alloc"] == 0 else
             f"    {dx} = np.zeros({xp}.shape)\n    dw = np.zeros(w.shape)\n")
    db_sum = c["db"] == 0
    alloc += (st.pick("    db = dout.sum(axis=(0, 2, 3))\n", "    db = np.sum(dout, axis=(0, 2, 3))\n")
              if db_sum else st.pick("    db = np.zeros(F)\n", "    db = np.zeros_like(b)\n"))
    alloc += st.extra("    ", ["assert dout.shape[1] == F", "stride = int(stride)", "dout = np.asarray(dout)",
                                "assert dout.ndim == 4", "pad = int(pad)", "assert x.shape[1] == w.shape[1]"])
    loops, ind = "", "    "
    for var, rng_ in ((n, "N"), (f, "F"), (i, OH), (j, OW)):
        loops += f"{ind}for {var} in {st.range(rng_)}:\n"
        ind += "    "
    if c["window"] == 0:
        loops += f"{ind}{hs}, {ws} = {st.mul(i, 'stride')}, {st.mul(j, 'stride')}\n"
        hi, wi = hs, ws
    else:
        hi, wi = st.mul(i, "stride"), st.mul(j, "stride")
    loops += f"{ind}{g} = {st.at('dout', n, f, i, j)}\n" + _comment(rng, ind)
    if st.pick(0, 1) or bug:
        loops += f"{ind}{dx}[{n}, :, {hi}:{hi} + FH, {wi}:{wi} + FW] += w[{f}] * {g}\n"
        loops += f"{ind}dw[{f}] += {xp}[{n}, :, {hi}:{hi} + FH, {wi}:{wi} + FW] * {g}\n"
    else:
        loops += f"{ind}dw[{f}] += {g} * {xp}[{n}, :, {hi}:{hi} + FH, {wi}:{wi} + FW]\n"
        loops += f"{ind}{dx}[{n}, :, {hi}:{hi} + FH, {wi}:{wi} + FW] += {g} * w[{f}]\n"
    if not db_sum:
        loops += st.pick(f"{ind}db[{f}] += {g}\n", f"{ind}db[{f}] = db[{f}] + {g}\n")
    crop = [f"{dx}[:, :, pad:pad + H, pad:pad + W]", f"{dx}[:, :, pad:{dx}.shape[2] - pad, pad:{dx}.shape[3] - pad]"][c["crop"]]
    if bug == "padding_kept":
        crop = dx
    if st.pick(0, 1):
        unpack, pad = pad, unpack
    return ("def conv_backward(dout, x, w, b, stride, pad):\n" + unpack + pad + alloc + loops
            + f"    return {crop}, dw, db\n")


RENDER = {"conv_output_size": r_size, "zero_pad": r_pad, "conv2d_single": r_single,
          "conv2d_multi": r_multi, "conv_forward": r_forward, "conv_backward": r_backward}
AXES = {"size_val": 3, "size_fit": 2, "size_formula": 3, "size_ret": 2, "pad": 4,
        "single_pad": 3, "sizes_from": 2, "bias": 3, "window": 2, "product": 4, "multi": 3,
        "multi_pad": 2, "forward": 3, "unpack": 2, "fwd_pad": 3, "fwd_size": 3, "loop_order": 3,
        "bwd_alloc": 2, "db": 2, "crop": 2}


def random_choices(rng: random.Random) -> dict:
    c = {axis: rng.randrange(n) for axis, n in AXES.items()}
    order = ["sizes", "stride", "pad", "fit"]
    rng.shuffle(order)
    c["size_order"] = order
    c["forward"] = 0 if rng.random() < 0.8 else rng.choice((1, 2))   # mostly the lecture loop
    return c


def render(student: Student, rng: random.Random, order=PROBLEMS) -> str:
    parts = ["import numpy as np\n"]
    for problem in PROBLEMS:              # habits drawn in a fixed order, whatever the file order
        style = Style(student.style * 7919 + PROBLEMS.index(problem))
        parts.append(RENDER[problem](student.choices, student.names, rng, student.bugs.get(problem), style))
    parts = [parts[0]] + [parts[1 + PROBLEMS.index(p)] for p in order]
    return "\n\n".join(parts)


def mistake_functions(path: Path) -> tuple[str, dict, str]:
    """(the functions' source, their BREAKS/DIAGNOSIS, ...) of one bundled mistake."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    meta = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body
            if isinstance(n, ast.Assign) and n.targets[0].id in ("BREAKS", "DIAGNOSIS")}
    lines = source.splitlines(keepends=True)
    code = "".join("".join(lines[n.lineno - 1:n.end_lineno]) + "\n" for n in tree.body
                   if isinstance(n, ast.FunctionDef))
    return code, meta


# one bundled mistake per problem (two on conv_backward), each given to one student
BUNDLED = ("conv_output_size_rounded_up.py", "zero_pad_padded_channels.py",
           "conv2d_single_bias_missing.py", "conv2d_multi_channels_not_summed.py",
           "conv_forward_kernel_flipped.py", "conv_backward_dw_not_summed.py")

# the disguised copy of the shared bug: the same arithmetic in the same order, other code
SHARED_BUG_DISGUISED = '''
def _scatter(grad, weights, inputs, start_h, start_w, kh, kw, g):
    rows = slice(start_h, start_h + kh)
    cols = slice(start_w, start_w + kw)
    grad[:, rows, cols] += weights * g
    return inputs[:, rows, cols] * g


def conv_backward(dout, x, w, b, stride, pad):
    """Backward pass, written my own way."""
    batch, chans, height, width = x.shape
    nf, kh, kw = w.shape[0], w.shape[2], w.shape[3]
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    grad_in = np.zeros_like(padded)
    grad_w = np.zeros_like(w)
    grad_b = np.zeros(nf)
    img = 0
    while img < batch:
        for filt in range(nf):
            positions = [(r, c) for r in range(dout.shape[2]) for c in range(dout.shape[3])]
            for (r, c) in positions:
                g = dout[img, filt, r, c]
                grad_w[filt] += _scatter(grad_in[img], w[filt], padded[img], r * stride,
                                         c * stride, kh, kw, g)
                grad_b[filt] += g
        img += 1
    return grad_in, grad_w, grad_b
'''


@dataclass
class Class:
    sources: dict[str, str]
    copying: list[tuple[str, str]]
    shared_bug: tuple[str, str]
    mistakes: dict[str, dict[str, str | None]]          # student -> problem -> diagnosis
    honest: list[str]


def make_class(n: int = 40, seed: int = 14, copy_pairs: int = 3) -> Class:
    """n students: copy_pairs pairs who copied, one shared-bug pair, one student per bundled
    mistake, a few with a mistake written in their own style, the rest correct."""
    rng = random.Random(seed)
    ids = [f"s{k:03d}" for k in range(1, n + 1)]
    students = {s: Student(random_choices(rng), _pick(rng), style=rng.randrange(10**9)) for s in ids}
    sources: dict[str, str] = {}
    mistakes: dict[str, dict] = {s: {} for s in ids}
    pos = 0
    copying = []
    for _ in range(copy_pairs):             # the copier renders the original's choices
        a, b = ids[pos], ids[pos + 1]
        pos += 2
        students[b] = Student(dict(students[a].choices), _pick(rng), dict(students[a].bugs),
                              students[a].style)
        while students[b].names == students[a].names:
            students[b].names = _pick(rng)
        copying.append((a, b))
    shared = (ids[pos], ids[pos + 1])
    pos += 2
    students[shared[0]].bugs["conv_backward"] = "padding_kept"
    students[shared[0]].choices.update(window=0, db=1, fwd_pad=0, bwd_alloc=0)
    for s in shared:
        mistakes[s]["conv_backward"] = None
    bundled = {}
    for name in BUNDLED:
        if pos >= n:
            break
        bundled[ids[pos]] = MISTAKES / name
        pos += 1
    own_bugs = [("conv_forward", "bias_missing", "bias_missing"),
                ("conv_output_size", "no_plus_one", None), ("conv2d_single", "bias_missing", "bias_missing")]
    for problem, bug, diagnosis in own_bugs:
        if pos >= n:
            break
        students[ids[pos]].bugs[problem] = bug
        mistakes[ids[pos]][problem] = diagnosis
        pos += 1
    for s in ids:                            # a mistake breaks only its own problem
        broken = set(students[s].bugs) | (set(mistake_functions(bundled[s])[1]["BREAKS"])
                                          if s in bundled else set())
        c = students[s].choices
        if "zero_pad" in broken:
            c["fwd_pad"] = 0
        if "conv_output_size" in broken:
            c["fwd_size"] = 0
        if "conv2d_single" in broken:
            c["multi"] = 1
        if "conv2d_multi" in broken:
            c["forward"] = 0
    for s in ids:
        order = list(PROBLEMS)
        if any(s == b for _, b in copying):
            order.reverse()                  # reordered functions
        text = render(students[s], rng, order)
        if s in bundled:
            code, meta = mistake_functions(bundled[s])
            for broken in meta["BREAKS"]:
                mistakes[s][broken] = meta["DIAGNOSIS"]
            text += "\n\n# my final version\n" + code
        if s == shared[1]:
            text += "\n" + SHARED_BUG_DISGUISED
        sources[s] = text
    honest = [s for s in ids if not any(s in p for p in copying) and s not in shared]
    return Class(sources, copying, shared, mistakes, honest)


def write_class(cls: Class, folder: Path, assignment: str = "01_convolution") -> Path:
    """nbgrader's submitted/STUDENT/ID/ID.py layout; returns the submitted folder."""
    submitted = Path(folder) / "submitted"
    for student, source in cls.sources.items():
        target = submitted / student / assignment
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{assignment}.py").write_text(source, encoding="utf-8")
    return submitted
