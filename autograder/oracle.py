"""The PyTorch oracle: expected outputs and gradients, per case, dtype and device.

Computed once per process and shared by every submission graded in it (a batch pays for
the oracle once). TF32 is switched off so that CUDA float32 results are real float32.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from autograder.registry import Case, Problem

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False

DTYPES = {"float64": (np.float64, torch.float64), "float32": (np.float32, torch.float32)}


def devices_present(wanted=("cpu", "cuda")) -> tuple[str, ...]:
    """cpu always; cuda only where a GPU is present."""
    return tuple(d for d in wanted if d == "cpu" or (d == "cuda" and torch.cuda.is_available()))


def cast_args(args: tuple, dtype: str) -> tuple:
    """The case's arrays in `dtype` (scalars untouched): what the student's function receives."""
    np_dtype = DTYPES[dtype][0]
    return tuple(a.astype(np_dtype) if isinstance(a, np.ndarray) else a for a in args)


def _to_torch(args: tuple, dtype: str, device: str) -> tuple:
    torch_dtype = DTYPES[dtype][1]
    return tuple(torch.tensor(a, dtype=torch_dtype, device=device) if isinstance(a, np.ndarray)
                 else a for a in args)


def evaluate(fn, args: tuple, dtype: str, device: str) -> tuple[np.ndarray, ...]:
    """fn (a torch function of the case's arguments) as float64 NumPy arrays."""
    out = fn(*_to_torch(cast_args(args, dtype), dtype, device))
    parts = out if isinstance(out, (tuple, list)) else (out,)
    return tuple(np.asarray(torch.as_tensor(p).detach().cpu().double().numpy()) for p in parts)


@lru_cache(maxsize=None)
def cases(problem: Problem, seed: int, hidden: bool) -> tuple[Case, ...]:
    """A problem's cases, generated once per process."""
    return tuple(problem.sample_cases(seed, hidden))


@lru_cache(maxsize=None)
def expected(problem: Problem, seed: int, hidden: bool, dtype: str, device: str):
    """{case name: oracle outputs} for every non-error case."""
    return {c.name: evaluate(problem.oracle, c.args, dtype, device)
            for c in cases(problem, seed, hidden) if c.raises is None}


@lru_cache(maxsize=None)
def mimicked(problem: Problem, seed: int, hidden: bool, misconception: str):
    """{case name: what a student with this misconception returns} (cpu, float64); a case
    the mistake cannot even produce (it raises) is left out."""
    mimic = next(m.mimic for m in problem.misconceptions if m.name == misconception)
    out = {}
    for c in cases(problem, seed, hidden):
        if c.raises is None:
            try:
                out[c.name] = evaluate(mimic, c.args, "float64", "cpu")
            except (RuntimeError, ValueError, IndexError, TypeError):
                continue
    return out
