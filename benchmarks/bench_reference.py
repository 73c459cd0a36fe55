"""The NumPy reference solutions against PyTorch on CPU, float64, in the same process.

    python benchmarks/bench_reference.py               # best of 30 loops
    python benchmarks/bench_reference.py --threads 1   # both single-threaded

Times reference/convolution.py (conv_forward, conv_backward), reference/pooling.py
(max_pool_forward, max_pool_backward) and reference/lstm.py (lstm_forward, lstm_backward)
against torch.nn.functional.conv2d + autograd, F.max_pool2d + autograd and nn.LSTM +
autograd, on a few realistic sizes. Each figure is the best of --repeat timeit loops of at
least 20 ms, in three alternating blocks per side, each after a pause that lets the other
side's BLAS / OpenMP threads stop spinning. Backward timings are the backward alone: torch.autograd.grad on
a graph built once (retain_graph), against the reference's backward function, which gets only
the student API's inputs and so recomputes what it needs (the LSTM's backward reruns the
whole forward pass: see the fwd+bwd rows for the like-for-like total).

Before timing, each pair is checked to agree (max |ours - torch| is printed), so a fast wrong
answer cannot pass for a fast one. The issue's target: reference conv forward within 3x of
torch.nn.functional.conv2d on CPU.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import platform
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from reference import convolution, lstm, pooling  # noqa: E402

TARGET = 3.0                 # the issue: conv forward within 3x of F.conv2d


# --------------------------------------------------------------------------- threads
def _openblas():
    """The OpenBLAS that NumPy loaded, opened through ctypes, and its symbol prefix."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None, ""
    for lib in sorted({line.split()[-1] for line in maps.splitlines()
                       if "openblas" in line.lower() and line.split()[-1].startswith("/")}):
        handle = ctypes.CDLL(lib)
        for get, put in (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
                         ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
                         ("openblas_get_num_threads", "openblas_set_num_threads")):
            if hasattr(handle, get):
                return handle, (get, put, Path(lib).name)
    return None, ""


def numpy_blas_threads(wanted: int | None = None) -> tuple[int | None, str]:
    """How many threads NumPy's BLAS uses (after setting it to `wanted`), and how we know."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
        if wanted:
            threadpool_limits(wanted, user_api="blas")
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            p = pools[0]
            return int(p["num_threads"]), (f"threadpoolctl: {p.get('internal_api')} "
                                           f"{p.get('version')}")
    except ImportError:
        pass
    handle, names = _openblas()          # no threadpoolctl: OpenBLAS's own C API
    if handle is None:
        return None, "threadpoolctl is not installed and no OpenBLAS was found to ask"
    get, put, lib = names
    if wanted and hasattr(handle, put):
        getattr(handle, put).argtypes = [ctypes.c_int]
        getattr(handle, put)(wanted)
    getattr(handle, get).restype = ctypes.c_int
    return int(getattr(handle, get)()), f"threadpoolctl is not installed; asked {lib} ({get})"


def describe_blas() -> str:
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{cfg.get('name')} {cfg.get('version')}"
    except Exception:            # older NumPy: no mode="dicts"
        return "unknown"


# --------------------------------------------------------------------------- timing
def calibrate(fn, loop_s: float = 0.02) -> tuple[timeit.Timer, int]:
    """A timer for `fn` and a number of calls that lasts >= `loop_s`."""
    timer, number = timeit.Timer(fn), 1
    while timer.timeit(number) < loop_s:
        number *= 2
    return timer, number


def block(timer: timeit.Timer, number: int, loops: int) -> float:
    """The best seconds per call of `loops` loops, after a pause (see SETTLE_S)."""
    time.sleep(SETTLE_S)
    return min(timer.timeit(number) / number for _ in range(loops))


# Both libraries keep their worker threads spinning for a while after a parallel call
# (OpenBLAS for up to ~2^28 cycles, OpenMP for its spin count): timing torch right after NumPy
# (or the reverse) would share the cores with the other's spinning threads. So each side is
# timed in one block, after a pause that lets the other side's threads go to sleep.
SETTLE_S = 0.3


ROUNDS = 3


def best_pair(ours, theirs, repeat: int) -> tuple[float, float]:
    """The best of `repeat` loops of >= 20 ms for each side, in ROUNDS alternating blocks
    (ours, torch, ours, ...) so that a stretch of load from elsewhere hits both sides alike.
    Many short loops rather than a few long ones: on a shared machine the best of many is
    the one that ran undisturbed."""
    timers = [calibrate(ours), calibrate(theirs)]
    best = [float("inf"), float("inf")]
    per_block = max(1, -(-repeat // ROUNDS))
    for _ in range(ROUNDS):
        for k, (timer, number) in enumerate(timers):
            best[k] = min(best[k], block(timer, number, per_block))
    return best[0], best[1]


def diff(ours, theirs) -> float:
    if not isinstance(ours, (tuple, list)):
        ours, theirs = (ours,), (theirs,)
    return max(float(np.max(np.abs(np.asarray(a) - t.detach().numpy()))) for a, t in zip(ours, theirs))


ROWS = []


def row(op: str, size: str, ours_fn, torch_fn, repeat: int, check=None):
    if check is not None:
        err = check()
        if not err < 1e-8:
            raise SystemExit(f"{op} {size}: the reference and torch disagree (max |diff| {err:.3g})")
    else:
        err = float("nan")
    t_ours, t_torch = best_pair(ours_fn, torch_fn, repeat)
    ROWS.append((op, size, t_ours, t_torch))
    print(f"  {op:22} {size:34} {t_ours * 1e3:10.3f} {t_torch * 1e3:10.3f} "
          f"{t_ours / t_torch:9.2f}x {err:10.1e}", flush=True)


# --------------------------------------------------------------------------- the ops
def bench_conv(rng, repeat, N, C, H, W, Fn, K, stride, pad, label=None):
    x = rng.standard_normal((N, C, H, W))
    w = rng.standard_normal((Fn, C, K, K))
    b = rng.standard_normal(Fn)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    size = label or f"N{N} C{C} {H}x{W} F{Fn} {K}x{K} s{stride} p{pad}"

    def torch_fwd():
        with torch.no_grad():
            return F.conv2d(tx, tw, tb, stride=stride, padding=pad)

    out = convolution.conv_forward(x, w, b, stride, pad)
    row("conv_forward", size, lambda: convolution.conv_forward(x, w, b, stride, pad), torch_fwd,
        repeat, lambda: diff(out, torch_fwd()))
    dout = rng.standard_normal(out.shape)
    tout = F.conv2d(tx, tw, tb, stride=stride, padding=pad)
    tdout = torch.tensor(dout)

    def torch_bwd():
        return torch.autograd.grad(tout, (tx, tw, tb), tdout, retain_graph=True)

    row("conv_backward", size, lambda: convolution.conv_backward(dout, x, w, b, stride, pad),
        torch_bwd, repeat, lambda: diff(convolution.conv_backward(dout, x, w, b, stride, pad),
                                        torch_bwd()))


def bench_pool(rng, repeat, N, C, H, W, P, stride):
    x = rng.standard_normal((N, C, H, W))          # continuous values: no ties
    tx = torch.tensor(x, requires_grad=True)
    size = f"N{N} C{C} {H}x{W} {P}x{P} s{stride}"

    def torch_fwd():
        with torch.no_grad():
            return F.max_pool2d(tx, P, stride)

    out = pooling.max_pool_forward(x, P, P, stride)
    row("max_pool_forward", size, lambda: pooling.max_pool_forward(x, P, P, stride), torch_fwd,
        repeat, lambda: diff(out, torch_fwd()))
    dout = rng.standard_normal(out.shape)
    tout, tdout = F.max_pool2d(tx, P, stride), torch.tensor(dout)

    def torch_bwd():
        return torch.autograd.grad(tout, tx, tdout, retain_graph=True)[0]

    row("max_pool_backward", size, lambda: pooling.max_pool_backward(dout, x, P, P, stride),
        torch_bwd, repeat, lambda: diff(pooling.max_pool_backward(dout, x, P, P, stride),
                                        torch_bwd()))


def bench_lstm(rng, repeat, N, T, D, H):
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H)) * 0.5
    W = rng.standard_normal((4 * H, H + D)) / np.sqrt(H + D)
    b = rng.standard_normal(4 * H) * 0.1
    # torch stacks the gates i, f, g, o and splits the weights by input: remap ours (f, i, g, o).
    order = np.concatenate([np.arange(H, 2 * H), np.arange(0, H), np.arange(2 * H, 4 * H)])
    net = torch.nn.LSTM(D, H, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        net.weight_ih_l0.copy_(torch.tensor(W[order][:, H:]))
        net.weight_hh_l0.copy_(torch.tensor(W[order][:, :H]))
        net.bias_ih_l0.copy_(torch.tensor(b[order]))
        net.bias_hh_l0.zero_()
    tx = torch.tensor(x, requires_grad=True)
    th0 = torch.tensor(h0[None], requires_grad=True)
    tc0 = torch.zeros(1, N, H, dtype=torch.float64)
    size = f"N{N} T{T} D{D} H{H}"

    def torch_fwd():
        with torch.no_grad():
            return net(tx, (th0, tc0))[0]

    row("lstm_forward", size, lambda: lstm.lstm_forward(x, h0, W, b), torch_fwd, repeat,
        lambda: diff(lstm.lstm_forward(x, h0, W, b), torch_fwd()))
    dh = rng.standard_normal((N, T, H))
    tout, tdh = net(tx, (th0, tc0))[0], torch.tensor(dh)

    def torch_bwd():
        return torch.autograd.grad(tout, (tx, th0), tdh, retain_graph=True)

    def torch_both():
        return torch.autograd.grad(net(tx, (th0, tc0))[0], (tx, th0), tdh)

    def check():
        dx, dh0, _, _ = lstm.lstm_backward(dh, x, h0, W, b)
        tdx, tdh0 = torch_bwd()
        return diff((dx, dh0), (tdx, tdh0[0]))

    row("lstm_backward", size, lambda: lstm.lstm_backward(dh, x, h0, W, b), torch_bwd, repeat,
        check)
    row("lstm fwd+bwd", size, lambda: lstm.lstm_backward(dh, x, h0, W, b), torch_both, repeat)


# --------------------------------------------------------------------------- main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30,
                        help="timeit loops (of >= 20 ms) per function; the best counts")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for both NumPy's BLAS and torch (default: what NumPy's "
                             "BLAS uses)")
    args = parser.parse_args(argv)

    blas_threads, how = numpy_blas_threads(args.threads)
    threads = blas_threads or args.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    print(f"bench_reference: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}, NumPy {np.__version__} ({describe_blas()}), "
          f"torch {torch.__version__}")
    print(f"threads: NumPy BLAS {blas_threads if blas_threads is not None else '?'} ({how}); "
          f"torch.set_num_threads({threads}) -> {torch.get_num_threads()}"
          + ("" if args.threads is None or args.threads == blas_threads else
             f"  (NOTE: could not set NumPy's BLAS to --threads {args.threads})"))
    env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
           if k in os.environ}
    if env:
        print(f"environment: {env}")
    print(f"float64, CPU, best of {args.repeat} loops; ours/torch > 1 means "
          f"the reference is slower; load average {os.getloadavg()[0]:.2f}\n")
    print(f"  {'op':22} {'size':34} {'ours ms':>10} {'torch ms':>10} {'ours/torch':>10} "
          f"{'max |diff|':>10}")
    rng = np.random.default_rng(0)
    bench_conv(rng, args.repeat, 8, 16, 32, 32, 32, 3, 1, 1)
    bench_conv(rng, args.repeat, 16, 3, 64, 64, 16, 5, 2, 2)
    bench_conv(rng, args.repeat, 2, 3, 7, 7, 4, 3, 2, 1, label="N2 C3 7x7 F4 3x3 s2 p1 (a case)")
    bench_pool(rng, args.repeat, 8, 16, 32, 32, 2, 2)
    bench_pool(rng, args.repeat, 8, 32, 32, 32, 3, 2)
    bench_lstm(rng, args.repeat, 16, 20, 32, 64)
    bench_lstm(rng, args.repeat, 32, 50, 64, 128)

    conv = [(size, o / t) for op, size, o, t in ROWS if op == "conv_forward"]
    print(f"\ntarget: reference conv_forward within {TARGET:g}x of F.conv2d on CPU")
    for size, ratio in conv:
        verdict = ("(a graded case: tens of microseconds, Python call overhead; not the target)"
                   if "a case" in size else "met" if ratio <= TARGET else "NOT met")
        print(f"  {size:34} {ratio:6.2f}x  {verdict}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (figures are noisy when it is above "
          f"the core count: other work shares the cores)")
    main_ratio = conv[0][1]
    return 0 if main_ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
