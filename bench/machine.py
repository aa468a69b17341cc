"""How fast this machine is right now, printed at the top of every benchmark.

The benchmarks compare against a baseline in the same run, but their absolute figures move
with the machine: the same code has measured twice as slow on one day's 2-core VM as on
another's. A fixed piece of pure-Python work, timed the same way in every run, tells a reader
which kind of day a set of figures comes from.
"""

from __future__ import annotations

import os
import time

REFERENCE = "sum(range(10**7))"


def reference_ms(repeats: int = 3) -> float:
    """Best of `repeats` timings of the reference work, in ms."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        sum(range(10**7))
        best = min(best, time.perf_counter() - start)
    return best * 1000


def describe() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {os.cpu_count()} cores, 1-min load {load:.1f}; reference work {REFERENCE} "
        f"{reference_ms():.0f} ms (best of 3; lower is faster)"
    )
