"""ESR benchmark: a province ESR generated cold (the browser starts) and warm (the browser is
kept), with the PDF size, printed against the targets (≤ 10 s cold, ≤ 3 s warm, ≤ 2 MB); the
cold run is the baseline the warm ones are compared with in the same run.

    python bench/esr_bench.py [--runs 5]   (a demo store is built in a temporary folder)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402

TARGET_COLD_S, TARGET_WARM_S, TARGET_BYTES = 10.0, 3.0, 2 * 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="warm runs")
    args = parser.parse_args()
    print(machine.describe(), flush=True)
    folder = tempfile.mkdtemp(prefix="esr-bench-")
    url = f"sqlite:///{folder}/demo.sqlite"
    os.environ["DATABASE_URL"] = url
    from data.rules.catalog import get_catalog
    from helpers import reset_caches
    from stores import build_demo_store

    build_demo_store(url, get_catalog())
    reset_caches()
    from data.rules.periods import Period
    from data.store.engine import get_engine
    from reports.content import EsrRequest
    from reports.export import esr_pdf
    from reports.render import close_renderer, get_renderer

    engine = get_engine()
    request = EsrRequest("province", "50", Period.year(2569), "th")
    esr_pdf(engine, EsrRequest("province", "51", Period.year(2569), "th"))  # warm the query cache only
    close_renderer()

    started = time.perf_counter()
    pdf = esr_pdf(engine, request)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(args.runs):
        started = time.perf_counter()
        pdf = esr_pdf(engine, request)
        warm.append(time.perf_counter() - started)
    launches = get_renderer().launches
    close_renderer()
    median = statistics.median(warm)
    print(f"province ESR (Chiang Mai, FY 2569), {args.runs} warm runs, browser started {launches}x")
    print(f"  cold  {cold:6.2f} s   target <= {TARGET_COLD_S:.0f} s   {'OK' if cold <= TARGET_COLD_S else 'MISSED'}")
    print(
        f"  warm  {median:6.2f} s   (median; max {max(warm):.2f} s)   target <= {TARGET_WARM_S:.0f} s   "
        f"{'OK' if median <= TARGET_WARM_S else 'MISSED'}"
    )
    print(
        f"  size  {len(pdf) / 1024:6.0f} KB  target <= {TARGET_BYTES // 1024} KB   "
        f"{'OK' if len(pdf) <= TARGET_BYTES else 'MISSED'}"
    )
    print(f"  warm vs cold (baseline): {cold / median:.1f}x faster")


if __name__ == "__main__":
    main()
