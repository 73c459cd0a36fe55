"""The PyTorch oracle: expected outputs and gradients, per case, dtype and device.

Hidden cases differ per submission (autograder/secret.py), so each submission's are
evaluated once while it is graded and dropped with it; the fixed public cases are evaluated
once per process. TF32 is switched off so that CUDA float32 results are real float32.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np
import torch

from autograder.registry import Case, Problem

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False

DTYPES = {"float64": (np.float64, torch.float64), "float32": (np.float32, torch.float32)}


def use_one_thread() -> None:
    """For the grading process: one intra-op thread. The oracle's tensors are tiny and the
    grader's parallelism is across submissions; torch's own threads would only contend with
    each other and the sandbox children (measured on the 2-core machine under load: about 7x
    the time per submission with torch's default of 2 threads)."""
    torch.set_num_threads(1)


def devices_present(wanted=("cpu", "cuda")) -> tuple[str, ...]:
    """cpu always; cuda only where a GPU is present."""
    return tuple(d for d in wanted if d == "cpu" or (d == "cuda" and torch.cuda.is_available()))


def _each_array(a, convert):
    """`convert` applied to an array argument, or to each array of a list argument (a list
    of gradients) or of a dict argument (cnn's `params`); scalars untouched."""
    if isinstance(a, list):
        return [_each_array(v, convert) for v in a]
    if isinstance(a, dict):
        return {k: _each_array(v, convert) for k, v in a.items()}
    return convert(a) if isinstance(a, np.ndarray) else a


def cast_args(args: tuple, dtype: str) -> tuple:
    """The case's float arrays in `dtype`, as copies (integer and boolean arrays, such as
    tokens, targets and masks, and scalars untouched): what the student's function receives."""
    np_dtype = DTYPES[dtype][0]
    return tuple(_each_array(a, lambda v: v.astype(np_dtype) if v.dtype.kind == "f" else v.copy())
                 for a in args)


def _to_torch(args: tuple, dtype: str, device: str) -> tuple:
    """Fresh tensors (a copy: an oracle or mimic may work in place), made by from_numpy,
    several times cheaper than torch.tensor for the many small arrays of a submission.
    Float arrays in `dtype`; integer and boolean ones keep theirs (indices, masks)."""
    np_dtype = DTYPES[dtype][0]
    return tuple(_each_array(a, lambda v: torch.from_numpy(
        np.array(v, dtype=np_dtype if v.dtype.kind == "f" else v.dtype)).to(device)) for a in args)


def evaluate(fn, args: tuple, dtype: str, device: str) -> tuple[np.ndarray, ...]:
    """fn (a torch function of the case's arguments) as float64 NumPy arrays."""
    out = fn(*_to_torch(args, dtype, device))              # cast and copied there
    parts = out if isinstance(out, (tuple, list)) else (out,)
    return tuple(np.asarray(torch.as_tensor(p).detach().cpu().double().numpy()) for p in parts)


def _float32_exact(case: Case) -> Case:
    """The case with its float arrays rounded to float32 values (kept as float64): the float32
    inputs a student receives are then exactly the float64 ones, so one float64 evaluation is
    the oracle for both dtypes (the float32 check compares against the exact answer, within
    float32's tolerance, as PyTorch's reference tests compare against float64)."""
    args = tuple(_each_array(a, lambda v: v.astype(np.float32).astype(np.float64)
                             if v.dtype == np.float64 else v) for a in case.args)
    return dataclasses.replace(case, args=args)


class CaseSet:
    """One problem's cases on one seed, and the oracle's answers to them, each computed on
    first use and then kept with the set: a submission's hidden set lives (and is evaluated
    once) while that submission is graded; the public sets are shared by the process."""

    def __init__(self, problem: Problem, seed: int, hidden: bool):
        self.problem, self.seed, self.hidden = problem, seed, hidden
        cases = problem.sample_cases(seed, hidden)
        self.cases: tuple[Case, ...] = tuple(
            _float32_exact(c) for c in cases) if problem.float32 else tuple(cases)
        self._expected: dict[tuple[str, str], dict] = {}
        self._mimicked: dict[str, dict] = {}
        self._parts: dict[tuple[str, str], tuple | None] = {}

    def devices(self, wanted=("cpu", "cuda")) -> tuple[str, ...]:
        """The devices of `wanted` that this set has answers on: those present."""
        return devices_present(wanted)

    def expected(self, dtype: str, device: str) -> dict[str, tuple[np.ndarray, ...]]:
        """{case name: oracle outputs} for every case the oracle answers (Case.valued)."""
        if dtype == "float32" and device == "cpu" and self.problem.float32:
            return self.expected("float64", "cpu")    # the exact answer to the float32 inputs
        key = (dtype, device)
        if key not in self._expected:
            self._expected[key] = {c.name: evaluate(self.problem.oracle, c.args, dtype, device)
                                   for c in self.cases if c.valued}
        return self._expected[key]

    def mimicked(self, misconception: str) -> dict[str, tuple[np.ndarray, ...]]:
        """{case name: what a student with this misconception returns} (cpu, float64); a
        case the mistake cannot even produce (it raises) is left out."""
        if misconception not in self._mimicked:
            mimic = next(m.mimic for m in self.problem.misconceptions if m.name == misconception)
            out = {}
            for c in self.cases:
                if c.valued:
                    try:
                        out[c.name] = evaluate(mimic, c.args, "float64", "cpu")
                    except (RuntimeError, ValueError, IndexError, TypeError):
                        continue
            self._mimicked[misconception] = out
        return self._mimicked[misconception]

    def parts(self, misconception: str, case: str) -> tuple[str, dict] | None:
        """The misconception's family units on one case, (unit, {output: [array per unit]})
        (diagnose.family fits a student's output to them), or None where it has none."""
        key = (misconception, case)
        if key not in self._parts:
            m = next(m for m in self.problem.misconceptions if m.name == misconception)
            c = next(c for c in self.cases if c.name == case)
            found = None
            if m.parts is not None and c.valued:
                try:
                    unit, parts = m.parts(*_to_torch(c.args, "float64", "cpu"))
                    found = unit, {k: [np.asarray(p.detach().cpu().double().numpy()) for p in v]
                                   for k, v in parts.items()}
                except (RuntimeError, ValueError, IndexError, TypeError):
                    found = None
            self._parts[key] = found
        return self._parts[key]


@lru_cache(maxsize=None)      # bounded in practice: one per problem and public seed
def public_cases(problem: Problem, seed: int) -> CaseSet:
    """A problem's public cases (what check() runs), kept for the process."""
    return CaseSet(problem, seed, hidden=False)
