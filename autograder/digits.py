"""The 8x8 handwritten digits 05_cnn trains on (autograder/data/README.md: origin, licence),
read in the trusted grader and handed to the student's `train` as arguments: the sandbox
has no data of its own."""
from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

PATH = Path(__file__).resolve().parent / "data" / "digits.csv.gz"
SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
N_TEST = 360                    # the split: a fixed 20 % of the images, drawn once (SPLIT_SEED)
SPLIT_SEED = 2024


@lru_cache(maxsize=1)
def load() -> tuple[np.ndarray, np.ndarray]:
    """(x (1797, 1, 8, 8) float64 in [0, 1], y (1797,) int64): the pixel counts divided by 16."""
    raw = PATH.read_bytes()
    if hashlib.sha256(raw).hexdigest() != SHA256:
        raise RuntimeError(f"{PATH}: not the digits file this course grades with (digest differs)")
    table = np.loadtxt(gzip.decompress(raw).decode().splitlines(), delimiter=",", dtype=np.int64)
    x = (table[:, :64] / 16.0).reshape(-1, 1, 8, 8)
    y = table[:, 64].astype(np.int64)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


@lru_cache(maxsize=1)
def split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): 1,437 training and 360 test images, the same on
    every machine (a permutation drawn once from SPLIT_SEED)."""
    x, y = load()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
    test, train = order[:N_TEST], order[N_TEST:]
    parts = (x[train], y[train], x[test], y[test])
    for p in parts:
        p.setflags(write=False)
    return parts
