"""Benchmark of the KPI value import: a generated 1,000,000-row long CSV into SQLite and PostgreSQL.

    python bench/import_bench.py [--rows 1000000] [--sample 20000]
                                 [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]

The CSV uses real KPI ids from the catalog, each with areas down to its finest level and
periods of its own type. Each store is new (PostgreSQL: a temporary database, dropped at the
end). For comparison, a sample is also written the naive way (an ORM object per row, one
commit). Prints rows/s (with the time spent reading and checking, writing, and refreshing
the cluster/region/country roll-ups inside the write), a re-import of the same file, the
speed ratio and the peak RSS, then PASS/FAIL against the targets; always exits 0. For
information: one province's next period of every KPI written into that store, with the data
page's counts moved by what the import changed, against recounting them (the baseline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
from sqlalchemy import Engine, delete  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from temp_postgres import postgres_database  # noqa: E402

from data.rules.catalog import Catalog, load_catalog  # noqa: E402
from data.rules.periods import (
    PERIOD_TYPE_CODES,
    Period,  # noqa: E402
)
from data.store.engine import make_engine  # noqa: E402
from data.store.imports import import_values_file  # noqa: E402
from data.store.schema import ImportLog, KpiValue, KpiValueRevision  # noqa: E402
from data.store.setup import init_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FISCAL_YEARS = range(2560, 2570)
LEVELS = ("province", "district", "subdistrict")
TARGETS = {"sqlite": 100_000, "postgresql": 50_000}
RSS_TARGET_MB = 1024


def area_codes_by_level() -> dict[str, np.ndarray]:
    import geothai

    codes: dict[str, list[str]] = {level: [] for level in LEVELS}
    for province in geothai.provinces():
        codes["province"].append(province.code)
        for district in geothai.districts(province.code):
            codes["district"].append(district.code)
            codes["subdistrict"].extend(sub.code for sub in geothai.subdistricts(district.code))
    return {level: np.array(values, dtype=object) for level, values in codes.items()}


def period_texts(period_type: str) -> list[str]:
    """Every period of the bench years, written the way officers write them (mixed forms)."""
    texts = []
    for year in FISCAL_YEARS:
        if period_type == "Y":
            texts.append(str(year))
        elif period_type == "Q":
            texts += [f"Q{q}/{year}" if q % 2 else f"ไตรมาส {q}/{year}" for q in range(1, 5)]
        else:
            for number in range(1, 13):
                period = Period.month(year, number)
                texts.append(
                    f"{period.calendar_year_be}-{period.calendar_month:02d}" if number % 2 else period.label_th
                )
    return texts


def generate_csv(path: Path, catalog: Catalog, rows: int, seed: int = 2568) -> None:
    """A long CSV of `rows` distinct (KPI, area, period) rows drawn from all valid combinations."""
    rng = np.random.default_rng(seed)
    areas = area_codes_by_level()
    blocks = []  # (kpi id, area codes, period texts)
    for kpi in catalog.kpis:
        levels = LEVELS[: LEVELS.index(kpi.finest_level) + 1]
        codes = np.concatenate([areas[level] for level in levels])
        blocks.append((kpi.id, codes, np.array(period_texts(PERIOD_TYPE_CODES[kpi.period_type.value]), dtype=object)))
    sizes = np.array([len(codes) * len(periods) for _, codes, periods in blocks], dtype=np.int64)
    if rows > sizes.sum():
        raise SystemExit(f"only {sizes.sum():,} distinct rows exist; ask for fewer")
    chosen = np.sort(rng.choice(sizes.sum(), size=rows, replace=False))
    block_of = np.searchsorted(np.cumsum(sizes), chosen, side="right")
    offsets = chosen - np.concatenate([[0], np.cumsum(sizes)[:-1]])[block_of]
    kpi_col = np.empty(rows, dtype=object)
    area_col = np.empty(rows, dtype=object)
    period_col = np.empty(rows, dtype=object)
    for index, (kpi_id, codes, periods) in enumerate(blocks):
        mine = np.flatnonzero(block_of == index)
        kpi_col[mine] = kpi_id
        area_col[mine] = codes[offsets[mine] // len(periods)]
        period_col[mine] = periods[offsets[mine] % len(periods)]
    order = rng.permutation(rows)
    # each KPI's values inside its typical range (province scale), so the import's checks of the
    # catalog's valid ranges pass as they do for a real file
    lows = pd.Series({k.id: max(k.typical_range[0], k.valid_bounds[0]) for k in catalog.kpis})
    highs = pd.Series({k.id: min(k.typical_range[1], k.valid_bounds[1]) for k in catalog.kpis})
    low, high = lows.reindex(kpi_col[order]).to_numpy(), highs.reindex(kpi_col[order]).to_numpy()
    values = np.round(low + rng.random(rows) * (high - low), 2)
    frame = pd.DataFrame(
        {"kpi_id": kpi_col[order], "area": area_col[order], "period": period_col[order], "value": values}
    )
    frame.to_csv(path, index=False, float_format="%.2f")


def naive_insert(engine: Engine, csv_path: Path, sample: int) -> float:
    """Rows/s of the naive way: parse rows one by one, one ORM object per row, one commit."""
    from data.rules.period_text import parse_period
    from data.store.areas import area_index

    with engine.connect() as connection:
        areas = area_index(connection)
    frame = pd.read_csv(csv_path, dtype=str, nrows=sample, keep_default_na=False)
    catalog = load_catalog()
    by_id = catalog.by_id()
    now = dt.datetime.now(dt.timezone.utc)
    start = time.perf_counter()
    with Session(engine) as session:
        for kpi_id, area, period_text, value in frame.itertuples(index=False, name=None):
            kpi = by_id[kpi_id]
            period = parse_period(period_text, PERIOD_TYPE_CODES[kpi.period_type.value]).period
            code = areas.resolve(area).code
            session.add(
                KpiValue(
                    kpi_id=kpi_id,
                    area_code=code,
                    area_level=len(code),
                    period_type=period.period_type,
                    fiscal_year=period.fiscal_year,
                    period_no=period.period_no,
                    value=float(value),
                    target=None,
                    source=None,
                    is_preliminary=False,
                    is_revised=False,
                    is_demo=False,
                    revision=1,
                    import_id=None,
                    imported_by="bench-naive",
                    imported_at=now,
                )
            )
        session.commit()
    elapsed = time.perf_counter() - start
    with engine.begin() as connection:
        connection.execute(delete(KpiValueRevision))
        connection.execute(delete(KpiValue))
        connection.execute(delete(ImportLog))
    return len(frame) / elapsed


class Phases:
    """Where an import spends its time: read and check, write, and within the write the
    refresh of cluster/region/country roll-ups (timed by wrapping `data.store.rollups`)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: dict[str, float] = {}
        self.rollups = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        if step == "write":
            self.marks["written" if done == total and "parsed" in self.marks else "parsed"] = time.perf_counter()

    def summary(self) -> str:
        parsed = self.marks.get("parsed", self.start) - self.start
        written = self.marks.get("written", self.start) - self.marks.get("parsed", self.start)
        return f"read+check {parsed:.1f} s, write {written:.1f} s (of which roll-up refresh {self.rollups:.1f} s)"

    @contextmanager
    def timing_rollups(self) -> Iterator[None]:
        try:
            import data.store.rollups as rollups
        except ImportError:
            yield
            return
        original = getattr(rollups, "refresh_rollups", None)
        if original is None:
            yield
            return

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.rollups += time.perf_counter() - start

        rollups.refresh_rollups = timed
        try:
            yield
        finally:
            rollups.refresh_rollups = original


def timed_import(engine: Engine, csv_path: Path, catalog: Catalog) -> tuple[dict, float, Phases]:
    phases = Phases()
    with phases.timing_rollups():
        counts = import_values_file(engine, csv_path, catalog, "bench", progress=phases)
    return counts, time.perf_counter() - phases.start, phases


def province_quarter(catalog: Catalog, province: str = "50", fiscal_year: int = 2570) -> pd.DataFrame:
    """One province's next period of every KPI, down to each KPI's finest level: what a provincial
    office imports into a store that holds the whole country."""
    areas = area_codes_by_level()
    rng = np.random.default_rng(2570)
    parts = []
    for kpi in catalog.kpis:
        levels = LEVELS[: LEVELS.index(kpi.finest_level) + 1]
        codes = [c for level in levels for c in areas[level] if c.startswith(province)]
        period_type = PERIOD_TYPE_CODES[kpi.period_type.value]
        parts.append(
            pd.DataFrame(
                {
                    "kpi_id": kpi.id,
                    "area_code": codes,
                    "period_type": period_type,
                    "fiscal_year": fiscal_year,
                    "period_no": 0 if period_type == "Y" else 1,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(
        value=np.round(rng.gamma(2.0, 500.0, size=len(frame)), 2),
        target=np.nan,
        source=None,
        is_preliminary=False,
        is_revised=False,
        is_demo=False,
    )


def follow_up_import(engine: Engine, frame: pd.DataFrame, catalog: Catalog) -> dict[str, float]:
    """Seconds to write `frame` into the store, with the data page's counts moved by what the
    import changed and, as the baseline, recounted from the store; each in a transaction rolled
    back, so both start from the same store."""
    from data.store import values as values_store

    seconds = {}
    for label, ratio in (("recounted", 10**12), ("moved", values_store.RECOUNT_RATIO)):
        original, values_store.RECOUNT_RATIO = values_store.RECOUNT_RATIO, ratio
        try:
            with engine.connect() as connection:
                transaction = connection.begin()
                start = time.perf_counter()
                values_store.write_values(connection, frame, None, "bench", catalog=catalog)
                seconds[label] = time.perf_counter() - start
                transaction.rollback()
        finally:
            values_store.RECOUNT_RATIO = original
    return seconds


def run_backend(name: str, url: str, csv_path: Path, rows: int, sample: int, catalog: Catalog) -> dict:
    engine = make_engine(url)
    try:
        init_store(engine, catalog, ROOT / "data" / "clusters.yaml")
        naive = naive_insert(engine, csv_path, sample)
        counts, first, phases = timed_import(engine, csv_path, catalog)
        again, second, phases_again = timed_import(engine, csv_path, catalog)
        follow_up = province_quarter(catalog)
        small = follow_up_import(engine, follow_up, catalog)
    finally:
        engine.dispose()
    print(
        f"{name:>10}: import {rows:,} rows in {first:.1f} s = {rows / first:,.0f} rows/s "
        f"(inserted {counts['inserted']:,}; {phases.summary()})\n"
        f"{'':>10}  without the roll-up refresh: {rows / (first - phases.rollups):,.0f} rows/s\n"
        f"{'':>10}  re-import {second:.1f} s = {rows / second:,.0f} rows/s (unchanged {again['unchanged']:,}; "
        f"{phases_again.summary()})\n"
        f"{'':>10}  naive ORM insert of {sample:,} rows: {naive:,.0f} rows/s; "
        f"the import is {rows / first / naive:,.0f}x faster\n"
        f"{'':>10}  then one province's next period ({len(follow_up):,} rows) into the {counts['inserted']:,} "
        f"values: {small['moved']:.2f} s with the data page's counts moved by the import, "
        f"{small['recounted']:.2f} s recounting them (baseline): {small['recounted'] / small['moved']:.1f}x",
        flush=True,
    )
    return {"backend": name, "rows": rows, "seconds": first, "rows_per_s": rows / first, "naive_rows_per_s": naive}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows written the naive way")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help='admin URL of the PostgreSQL server ("skip" to run SQLite only)',
    )
    args = parser.parse_args(argv)
    print(machine.describe(), flush=True)
    catalog = load_catalog()
    results = []
    with tempfile.TemporaryDirectory(prefix="poc-bench-") as folder:
        csv_path = Path(folder) / "values.csv"
        start = time.perf_counter()
        generate_csv(csv_path, catalog, args.rows)
        print(
            f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        results.append(
            run_backend(
                "sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite'}", csv_path, args.rows, args.sample, catalog
            )
        )
        if args.postgres_url != "skip":
            try:
                url, drop = postgres_database(args.postgres_url)
            except Exception as exc:  # the server may be absent: report, do not fail
                print(f"postgresql: not reachable at {args.postgres_url}: {exc}")
            else:
                try:
                    results.append(run_backend("postgresql", url, csv_path, args.rows, args.sample, catalog))
                finally:
                    drop()
    rss = peak_rss_mb()
    print(f"peak RSS: {rss:,.0f} MB")
    print("targets:")
    for result in results:
        target = TARGETS[result["backend"]]
        verdict = "PASS" if result["rows_per_s"] >= target else "FAIL"
        print(f"  {verdict}  {result['backend']}: {result['rows_per_s']:,.0f} rows/s (target >= {target:,})")
    print(f"  {'PASS' if rss < RSS_TARGET_MB else 'FAIL'}  peak RSS: {rss:,.0f} MB (target < {RSS_TARGET_MB:,} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
