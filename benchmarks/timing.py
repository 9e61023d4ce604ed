"""Shared timing helper for the benchmark scripts (imported by them; prints nothing itself)."""

from __future__ import annotations

import time

import numpy as np


def median_p95_ms(fn, repeats: int = 11) -> tuple[float, float]:
    """Median and 95th percentile (ms) of ``repeats`` calls of ``fn``, after one warm-up call."""
    fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(1e3 * (time.perf_counter() - t0))
    return float(np.median(out)), float(np.percentile(out, 95))
