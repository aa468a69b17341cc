"""Benchmark of the query layer (`data/query/`) at national scale, on SQLite and PostgreSQL.

    python bench/query_bench.py [--scale 1.0] [--keep-db PATH] [--skip-postgres] [--skip-sqlite]
                                [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
                                [--repeats 20] [--budget 60] [--profile sqlite|postgresql|all|none]
                                [--only TEXT] [--skip-naive] [--skip-scoped] [--scoped-repeats 80]

On the 2-core machine: about 15 minutes at full scale with both backends before the scoped
section, which adds about 4 a backend (SQLite alone, all sections: about 9, 8 with a kept file);
`--scale 0.1` about 6-9. Always exits 0: a benchmark, not a test.

Data (numpy, seeded): a catalog of 60 quarterly KPIs (10 per goal, weight 10 each, higher or
lower better with thresholds, aggregation sum / weighted_mean by a population KPI / ratio /
none, all published down to subdistricts) in a temporary YAML file that POC_CATALOG points at;
and their values for 77 provinces + 928 districts + 7,436 subdistricts x 40 quarters (FY
2560-2569) = 20,258,400 rows, less 1 % left out at random (`--missing`) so the latest quarter up
to the selected one is not always the selected one. `--scale 0.1`: every province and district,
a tenth of the subdistricts, 3 fiscal years (about 1.6 M rows). The store is made by the
project's migrations (`init_store`); values are loaded without the ORM (SQLite: per KPI,
executemany of plain tuples into a staging table and INSERT ... SELECT in key order, journal and
sync off, indexes rebuilt after, no ANALYZE as the app runs none; PostgreSQL: COPY, keys and
indexes rebuilt after, VACUUM ANALYZE), then the cluster/region/country roll-ups are refreshed
and the data version set, as an import does. Load time and rows/s are printed. `--keep-db PATH`
keeps the SQLite file and reuses it while data, catalog, schema and roll-up code are unchanged;
PostgreSQL gets a throw-away database, dropped at the end.

Latency, per backend and public query function: `--repeats` calls (20) with different
arguments (provinces, districts, KPIs, quarters; one untimed call first), each cold (right after
`data.query.cache.invalidate()`: query cache empty as after an import; process, connection pool,
database page cache and the memoised reference data (areas, clusters: an import does not change
them) stay warm; start-up objects are frozen out of the garbage collector first, as the app does)
and then warm (the same call again, served by the cache). p50 and p95 in ms,
PASS/FAIL against p95 <= 150 ms cold and <= 20 ms warm. For information, a third timing, cold*:
as in a process that has just started, the reference data rebuilt too (`invalidate(reference=True)`;
`areas` and `clusters` themselves are always timed that way). A function
past its time budget (`--budget` s) stops after at least 3 calls; `n` says how many. `areas`,
`clusters`, `latest_periods` and `data_status` (the data page's) are measured too, marked extra.
For each function that misses a target, a cProfile top 15 of one such call (`--profile`).

Scoped viewers (issue 18): a province account (`scope_for(engine, ["50"], True)`) and a cluster
account (`scope_for(engine, ["C01"], True)`). For each of them and each function above that takes
a scope (all but `data_status`), `--scoped-repeats` calls (4 x `--repeats`) with area arguments
inside the scope (province 50, its districts and subdistricts, cluster C01 and 1, the country's
roll-up; for the cluster account C01's four provinces), each timed cold twice, with `scope=EVERYTHING`
and with `scope=<the viewer's>` passed explicitly, each right after `invalidate()` as above (so the
scoped call finds the unscoped province table cold too and computes it first) and `gc.collect()`
(so a full collection owed to earlier calls lands on neither side), the order alternating call by
call so that load and whatever the first of a pair leaves warm favour neither side; the calls of a
function of a few ms go round again until 3 s have passed. Printed per viewer and function:
unscoped and scoped p50/p95, the p95 ratio (and, for information, the p50 ratio and the ratio of
the p95s of the process's CPU time, which other processes' load moves less), and
"scoped/unscoped cold p95: worst ratio X.XX (target <= 1.20)".
A function past the ratio gets a cProfile of one cold call each way (`--profile`).

Naive comparison: `SELECT * FROM kpi_value`, the whole table, read ONCE per backend into pandas
(1 M-row chunks, compact dtypes); for every function of the issue's list the same answers are
computed with pandas filters and group-bys, independently of the query layer (latest quarter <=
the selected one per KPI and area, score by linear interpolation between thresholds clipped to
1-5, ranks in the country and the cluster, previous-quarter and year-earlier values, goal scores
as weight-renormalised means with their coverage and the overall score as the mean of the goal
scores, a series' every quarter, the share of a province's subdistricts reporting, and cluster
and country values from the raw province values by each KPI's rule, a province lacking a
quarter filled from its districts, where the query layer reads the roll-ups an import
materialised) and checked equal to the query layer's cold answers (float tolerance 1e-9).
Naive time of a call = the one whole-table load + that call's group-by; speed ratio = naive p50 /
query-layer cold p50, target >= 10x; the group-by alone is shown too, for information. Then, for
information, a province's next quarter written into the store (rolled back), with the data page's
counts moved by the import against recounting them. Then the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import hashlib
import io
import os
import pstats
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
import query_bench_data as gen  # noqa: E402
from sqlalchemy import insert, text, update  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from temp_postgres import postgres_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CLUSTERS = ROOT / "data" / "clusters.yaml"
COLD_TARGET_MS = 150.0
WARM_TARGET_MS = 20.0
RATIO_TARGET = 10.0
SCOPED_RATIO_TARGET = 1.2  # a scoped viewer's cold p95 over the unscoped one's, same calls, same run
# the scoped viewers: an account given these areas, with a role that sees restricted KPIs
SCOPED_VIEWERS = (("province 50", ("50",)), ("cluster C01", ("C01",)))
# a fast function's p95 is a few ms, where one time slice of another process is the 20 %: its
# calls go round again until this many seconds (at most SCOPED_MAX_ROUNDS times) for a steadier p95
SCOPED_MIN_SECONDS = 3.0
SCOPED_MAX_ROUNDS = 10
# SCOPED_CALLS: why 4 x --repeats calls a side by default. With others' tests on the 2 cores, the
# p95 of 40 calls is the 2nd-3rd slowest: timing the unscoped side twice (A/A) gave p95 ratios of
# 0.96-1.11, and the worst of the 32 scoped ratios was 1.30-1.42 in three runs while their p50 and
# CPU-time ratios stayed <= 1.10; at 80 calls the A/A ratios were 0.92-1.05, the worst scoped 1.10.
LAST_FISCAL_YEAR = 2569
MIN_CALLS = 3


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# =========================================================================== setup


def use_catalog(path: Path):
    """Point POC_CATALOG at the generated catalog before the query layer first reads it."""
    os.environ["POC_CATALOG"] = str(path)
    import data.query.cache
    import data.rules.catalog
    import settings

    settings.get_settings.cache_clear()
    data.rules.catalog._cache.clear()
    data.query.cache.configure(None, 3600)  # the in-process cache, whatever REDIS_URL says
    catalog = data.rules.catalog.get_catalog()
    if len(catalog.kpis) != 60 or str(settings.get_settings().catalog_path) != str(path):
        raise SystemExit(f"the generated catalog is not in use: {settings.get_settings().catalog_path}")
    return catalog


def schema_text() -> str:
    """The schema the migrations create today (on SQLite), and the roll-up code: part of the
    signature of a kept SQLite file, so a changed schema rebuilds it."""
    from data.store.engine import make_engine, upgrade

    engine = make_engine("sqlite://")
    try:
        upgrade(engine)
        with engine.connect() as connection:
            sql = [
                row[0]
                for row in connection.execute(text("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"))
            ]
    finally:
        engine.dispose()
    rollups = ROOT / "data" / "store" / "rollups.py"  # a cached bench store is rebuilt when the roll-up rules change
    extra = hashlib.sha256(rollups.read_bytes()).hexdigest() if rollups.exists() else ""
    return "\n".join(sql) + extra


def new_import_log(engine: Engine) -> int:
    from data.store.schema import ImportLog

    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as connection:
        return connection.execute(
            insert(ImportLog).values(
                kind="values",
                source_name="bench/query_bench.py (generated)",
                status="running",
                imported_by=gen.IMPORTED_BY,
                started_at=now,
            )
        ).inserted_primary_key[0]


def finish_import(engine: Engine, log_id: int, rows: int, catalog, extra_meta: dict[str, str]) -> tuple[int, float]:
    """Mark the import done, refresh the roll-ups as an import does, set the data version."""
    from data.store.areas import set_meta
    from data.store.schema import ImportLog

    start = time.perf_counter()
    written = 0
    with engine.begin() as connection:
        try:
            from data.store.rollups import refresh_rollups
        except ImportError:  # a query layer without materialised roll-ups
            refresh_rollups = None
        if refresh_rollups is not None:
            written = refresh_rollups(connection, catalog) or 0
        try:
            from data.store.values import refresh_kpi_status
        except ImportError:  # a store without per-KPI counts
            refresh_kpi_status = None
        if refresh_kpi_status is not None:
            refresh_kpi_status(connection, None)
        connection.execute(
            update(ImportLog)
            .where(ImportLog.id == log_id)
            .values(status="ok", rows_read=rows, inserted=rows, finished_at=dt.datetime.now(dt.timezone.utc))
        )
        set_meta(connection, "data_version", str(log_id))
        for key, value in extra_meta.items():
            set_meta(connection, key, value)
    return written, time.perf_counter() - start


def report_load(name: str, stats: dict, rollups: int, rollup_s: float) -> None:
    total = stats["generate_s"] + stats["insert_s"] + stats["index_s"] + rollup_s
    print(
        f"{name:>10}: loaded {stats['rows']:,} rows in {total:.1f} s = {stats['rows'] / total:,.0f} rows/s "
        f"(schema + areas + catalog {stats['generate_s']:.1f} s, generate + insert {stats['insert_s']:.1f} s = "
        f"{stats['rows'] / stats['insert_s']:,.0f} rows/s, keys + indexes {stats['index_s']:.1f} s, "
        f"roll-ups {rollups:,} rows {rollup_s:.1f} s)",
        flush=True,
    )


def prepare_sqlite(path: Path, plan: gen.Plan, seed: int, catalog, catalog_text: str) -> Engine:
    from data.store.engine import make_engine, upgrade
    from data.store.setup import init_store

    signature = plan.signature(catalog_text, schema_text())
    url = f"sqlite:///{path}"
    if path.exists():
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                meta = dict(connection.execute(text("SELECT key, value FROM meta")).all())
        except Exception:
            meta = {}
        if meta.get("bench_signature") == signature:
            upgrade(engine)
            print(
                f"{'sqlite':>10}: reusing {path} ({int(meta.get('bench_rows', 0)):,} rows, "
                f"{path.stat().st_size / 1e9:.1f} GB), built earlier with the same data and schema",
                flush=True,
            )
            return engine
        engine.dispose()
        print(f"{'sqlite':>10}: {path} was built with other data or schema: rebuilding", flush=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    engine = make_engine(url)
    init_store(engine, catalog, CLUSTERS)
    log_id = new_import_log(engine)
    engine.dispose()
    setup_s = time.perf_counter() - start
    stats = gen.load_sqlite(path, plan, seed, log_id)
    stats["generate_s"] = setup_s
    rollups, rollup_s = finish_import(
        engine, log_id, stats["rows"], catalog, {"bench_signature": signature, "bench_rows": str(stats["rows"])}
    )
    report_load("sqlite", stats, rollups, rollup_s)
    print(f"{'':>10}  file {path.stat().st_size / 1e9:.2f} GB", flush=True)
    return engine


def prepare_postgres(url: str, plan: gen.Plan, seed: int, catalog) -> Engine:
    from data.store.engine import make_engine
    from data.store.setup import init_store

    start = time.perf_counter()
    engine = make_engine(url)
    init_store(engine, catalog, CLUSTERS)
    log_id = new_import_log(engine)
    engine.dispose()
    setup_s = time.perf_counter() - start
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    stats = gen.load_postgres(conninfo, plan, seed, log_id)
    stats["generate_s"] = setup_s
    rollups, rollup_s = finish_import(engine, log_id, stats["rows"], catalog, {})
    report_load("postgresql", stats, rollups, rollup_s)
    return engine


# =========================================================================== cases


@dataclass
class Case:
    label: str
    function: str
    calls: list[tuple[tuple, dict]]  # the first one is the untimed warm-up call
    naive: str | None = None  # name of the Naive method that gives the same answer
    extra: bool = False  # public, but not in the list
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    primed_ms: list[float] = field(default_factory=list)  # cold, and the reference data rebuilt too
    answers: list = field(default_factory=list)
    error: str | None = None


def build_cases(plan: gen.Plan, catalog, repeats: int, seed: int) -> list[Case]:
    from data.rules.periods import Period

    rng = np.random.default_rng([seed, 99])
    n = repeats + 1
    provinces, districts = plan.codes["province"], plan.codes["district"]
    subdistricts = plan.codes["subdistrict"]
    kpi_ids = sorted(k.id for k in catalog.kpis)
    years = plan.fiscal_years
    eligible = [Period.quarter(y, q) for y, q in plan.periods if y >= years[0] + 2] or [
        Period.quarter(y, q) for y, q in plan.periods
    ]

    def pick(items, count=n):
        return [items[i] for i in rng.choice(len(items), size=count, replace=count > len(items))]

    def periods():
        return pick(eligible)

    def with_period(args_list, extra=None):
        return [((*args,), {**(extra or {}), "period": period}) for args, period in zip(args_list, periods())]

    mixed_areas = [a for trio in zip(pick(provinces), pick(districts), pick(subdistricts)) for a in trio][:n]
    clusters = [(i % 18) + 1 for i in range(n)]
    return [
        Case("scorecard(province)", "scorecard", with_period([(p,) for p in pick(provinces)]), "scorecard_province"),
        Case("scorecard(district)", "scorecard", with_period([(d,) for d in pick(districts)]), "scorecard_district"),
        Case("scorecard(cluster C01)", "scorecard", with_period([("C01",)] * n), "scorecard_rollup"),
        Case("scorecard(country TH)", "scorecard", with_period([("TH",)] * n), "scorecard_rollup"),
        Case(
            "goal_summary(province)",
            "goal_summary",
            with_period([(p,) for p in pick(provinces)]),
            "goal_summary_province",
        ),
        Case("province_table", "province_table", with_period([()] * n), "province_table"),
        Case("province_goal_scores", "province_goal_scores", with_period([()] * n), "province_goal_scores"),
        Case(
            "map_values(province)",
            "map_values",
            with_period([(k,) for k in pick(kpi_ids)], {"level": "province"}),
            "map_values_province",
        ),
        Case(
            "map_values(district, national)",
            "map_values",
            with_period([(k,) for k in pick(kpi_ids)], {"level": "district"}),
            "map_values_district",
        ),
        Case(
            "map_values(subdistrict, in province)",
            "map_values",
            [
                ((k,), {"level": "subdistrict", "parent": p, "period": period})
                for k, p, period in zip(pick(kpi_ids), pick(provinces), periods())
            ],
            "map_values_subdistrict",
        ),
        Case("cluster_comparison", "cluster_comparison", with_period([(c,) for c in clusters]), "cluster_comparison"),
        Case(
            "series(province/district/subdistrict)",
            "series",
            [((k, a), {}) for k, a in zip(pick(kpi_ids), mixed_areas)],
            "series",
        ),
        Case(
            "data_quality(province)",
            "data_quality",
            with_period([(p,) for p in pick(provinces)]),
            "data_quality_province",
        ),
        # also public, not in the list: the reference data every function needs after an
        # import, and what the data page calls
        Case("areas", "areas", [((), {})] * n, extra=True),
        Case("clusters", "clusters", [((), {})] * n, extra=True),
        Case("latest_periods(province)", "latest_periods", [((p,), {}) for p in pick(provinces)], extra=True),
        Case("data_status (data page)", "data_status", [((), {})] * n, extra=True),
    ]


# =========================================================================== latency


def measure(engine: Engine, case: Case, budget: float, prime: bool) -> None:
    import data.query as queries
    from data.query.cache import invalidate

    function = getattr(queries, case.function)
    is_cached = hasattr(function, "uncached")  # set by data.query.cache.cached and reference_cached
    reference = case.function in ("areas", "clusters")
    (args, kwargs), *timed = case.calls
    try:
        invalidate(reference=True)
        function(engine, *args, **kwargs)  # untimed: one-off start-up costs
        started = time.perf_counter()
        for index, (args, kwargs) in enumerate(timed):
            begin = time.perf_counter()
            invalidate(reference=reference)
            start = time.perf_counter()
            answer = function(engine, *args, **kwargs)
            case.cold_ms.append((time.perf_counter() - start) * 1000)
            if is_cached:
                start = time.perf_counter()
                function(engine, *args, **kwargs)
                case.warm_ms.append((time.perf_counter() - start) * 1000)
            if is_cached and prime:
                invalidate(reference=True)
                start = time.perf_counter()
                function(engine, *args, **kwargs)
                case.primed_ms.append((time.perf_counter() - start) * 1000)
            if case.naive:
                case.answers.append(answer)
            now = time.perf_counter()
            if index + 1 >= MIN_CALLS and now + (now - begin) - started > budget:
                break
    except Exception as exc:  # report and go on: a benchmark, not a test
        case.error = f"{type(exc).__name__}: {exc}"[:300]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def verdict(case: Case) -> str:
    if case.error or not case.cold_ms:
        return "ERROR"
    ok = pct(case.cold_ms, 95) <= COLD_TARGET_MS and (not case.warm_ms or pct(case.warm_ms, 95) <= WARM_TARGET_MS)
    return "PASS" if ok else "FAIL"


def print_latency(backend: str, cases: list[Case]) -> None:
    print(
        f"{backend}: query-layer latency in ms (n calls with different arguments; cold = right after "
        f"data.query.cache.invalidate() as after an import, warm = the same call again; cold* = as in a new "
        f"process, areas() and clusters() rebuilt too, for information)"
    )
    print(
        f"  {'function':<40}{'n':>4}{'cold p50':>10}{'cold p95':>10}{'warm p50':>10}{'warm p95':>10}"
        f"{'cold* p50':>11}{'cold* p95':>11}  "
        f"verdict (cold p95 <= {COLD_TARGET_MS:g}, warm p95 <= {WARM_TARGET_MS:g})"
    )
    for case in cases:
        if case.extra and case is next(c for c in cases if c.extra):
            print("  also public, not in the issue's list:")
        if case.error:
            print(f"  {case.label:<40}{len(case.cold_ms):>4}  ERROR  {case.error}")
            continue
        warm = (
            f"{pct(case.warm_ms, 50):>10.1f}{pct(case.warm_ms, 95):>10.1f}" if case.warm_ms else f"{'not cached':>20}"
        )
        primed = (
            f"{pct(case.primed_ms, 50):>11.1f}{pct(case.primed_ms, 95):>11.1f}"
            if case.primed_ms
            else f"{'-':>11}{'-':>11}"
        )
        print(
            f"  {case.label:<40}{len(case.cold_ms):>4}{pct(case.cold_ms, 50):>10.1f}{pct(case.cold_ms, 95):>10.1f}"
            f"{warm}{primed}  {verdict(case)}"
        )
    sys.stdout.flush()


def profile_call(engine: Engine, case: Case, warm: bool) -> str:
    import data.query as queries
    from data.query.cache import invalidate

    function = getattr(queries, case.function)
    args, kwargs = case.calls[1]
    invalidate()
    if warm:
        function(engine, *args, **kwargs)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    function(engine, *args, **kwargs)
    profiler.disable()
    elapsed = (time.perf_counter() - start) * 1000
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(15)
    site = str(Path(np.__file__).resolve().parent.parent) + "/"
    lines = [
        line.replace(site, "").replace(str(ROOT) + "/", "") for line in buffer.getvalue().splitlines() if line.strip()
    ]
    start_at = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    shown = ", ".join(f"{k}={v!r}" for k, v in [*enumerate(args), *kwargs.items()])
    header = (
        f"  cProfile, one {'warm' if warm else 'cold'} call of {case.label} ({shown}): "
        f"{elapsed:.0f} ms under the profiler; top 15 by cumulative time"
    )
    return "\n".join([header, *("    " + line for line in lines[start_at:])])


# =========================================================================== scoped


@dataclass
class ScopedCase:
    """One query function timed cold for a scoped viewer and for EVERYTHING, with the same calls."""

    viewer: str
    label: str
    function: str
    calls: list[tuple[tuple, dict]]  # the first one is the untimed warm-up call
    extra: bool = False
    unscoped_ms: list[float] = field(default_factory=list)
    scoped_ms: list[float] = field(default_factory=list)
    unscoped_cpu_ms: list[float] = field(default_factory=list)  # CPU time of this process, same calls
    scoped_cpu_ms: list[float] = field(default_factory=list)
    unscoped_rows: list[int] = field(default_factory=list)
    scoped_rows: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def ratio(self) -> float:
        return pct(self.scoped_ms, 95) / pct(self.unscoped_ms, 95)

    @property
    def cpu_ratio(self) -> float:
        return pct(self.scoped_cpu_ms, 95) / pct(self.unscoped_cpu_ms, 95)


def scoped_viewers(engine: Engine) -> list[tuple[str, object]]:
    """The scoped viewers' scopes, as an account given those areas gets it (`scope_for`)."""
    from data.query import scope_for

    return [(name, scope_for(engine, list(codes), True)) for name, codes in SCOPED_VIEWERS]


def build_scoped_cases(engine: Engine, plan: gen.Plan, catalog, repeats: int, seed: int, viewer: str, scope):
    """The cases of `build_cases` whose function takes a scope, with area arguments inside `scope`:
    its provinces, their districts and subdistricts, the cluster of its first province (held
    whole by a cluster account; its published roll-up for a province account) and the country's
    roll-up. `data_status` takes no scope: not here."""
    import data.query as queries
    from data.rules.periods import Period

    rng = np.random.default_rng([seed, 98, sum(map(ord, viewer))])
    n = repeats + 1
    provinces = sorted(scope.province_codes)
    districts = [d for d in plan.codes["district"] if d[:2] in scope.province_codes]
    subdistricts = [s for s in plan.codes["subdistrict"] if s[:2] in scope.province_codes]
    table = queries.clusters(engine)
    cluster_code = str(queries.area(engine, provinces[0])["cluster_code"])
    cluster_number = int(table.loc[table.code == cluster_code, "number"].iloc[0])
    kpi_ids = sorted(k.id for k in catalog.kpis)
    years = plan.fiscal_years
    eligible = [Period.quarter(y, q) for y, q in plan.periods if y >= years[0] + 2] or [
        Period.quarter(y, q) for y, q in plan.periods
    ]

    def pick(items, count=n):
        return [items[i] for i in rng.choice(len(items), size=count, replace=count > len(items))]

    def with_period(args_list, extra=None):
        return [((*args,), {**(extra or {}), "period": period}) for args, period in zip(args_list, pick(eligible))]

    mixed = [a for trio in zip(pick(provinces), pick(districts), pick(subdistricts)) for a in trio][:n]

    def case(label, function, calls, extra=False):
        return ScopedCase(viewer, label, function, calls, extra)

    return [
        case("scorecard(province)", "scorecard", with_period([(p,) for p in pick(provinces)])),
        case("scorecard(district)", "scorecard", with_period([(d,) for d in pick(districts)])),
        case(f"scorecard(cluster {cluster_code})", "scorecard", with_period([(cluster_code,)] * n)),
        case("scorecard(country TH)", "scorecard", with_period([("TH",)] * n)),
        case("goal_summary(province)", "goal_summary", with_period([(p,) for p in pick(provinces)])),
        case("province_table", "province_table", with_period([()] * n)),
        case("province_goal_scores", "province_goal_scores", with_period([()] * n)),
        case("map_values(province)", "map_values", with_period([(k,) for k in pick(kpi_ids)], {"level": "province"})),
        case(
            "map_values(district, national)",
            "map_values",
            with_period([(k,) for k in pick(kpi_ids)], {"level": "district"}),
        ),
        case(
            "map_values(subdistrict, in province)",
            "map_values",
            [
                ((k,), {"level": "subdistrict", "parent": p, "period": period})
                for k, p, period in zip(pick(kpi_ids), pick(provinces), pick(eligible))
            ],
        ),
        case(f"cluster_comparison({cluster_number})", "cluster_comparison", with_period([(cluster_number,)] * n)),
        case("series(province/district/subdistrict)", "series", [((k, a), {}) for k, a in zip(pick(kpi_ids), mixed)]),
        case("data_quality(province)", "data_quality", with_period([(p,) for p in pick(provinces)])),
        case("areas", "areas", [((), {})] * n, extra=True),
        case("clusters", "clusters", [((), {})] * n, extra=True),
        case("latest_periods(province)", "latest_periods", [((p,), {}) for p in pick(provinces)], extra=True),
    ]


def measure_scoped(engine: Engine, case: ScopedCase, scope, budget: float) -> None:
    """Each call cold twice, once with `scope=EVERYTHING` and once with `scope=<the viewer's>`
    (passed explicitly), each right after `invalidate()` as in `measure` (areas and clusters:
    `invalidate(reference=True)`), the order alternating from call to call so that whatever the
    first of a pair leaves warm (database pages, allocator) favours each side alike.

    And each right after `gc.collect()`: otherwise a full collection owed to the garbage of
    earlier calls (27-86 ms each in one run here, with the latency section's answers alive) lands
    on whichever call crosses the collector's threshold, which with alternating calls fell on one
    side 10 times out of 10 in a run, and at 40 calls a side two or three such landings are the
    p95. Collected first, every call pays for the collections its own allocations bring, no more.

    The calls go round again (up to SCOPED_MAX_ROUNDS times) until SCOPED_MIN_SECONDS have passed:
    more calls for the functions that take a few ms, whose p95 one time slice of another process
    moves by 20 %. `budget` still stops a slow function (after at least MIN_CALLS calls)."""
    import data.query as queries
    from data.query.cache import invalidate

    function = getattr(queries, case.function)
    reference = case.function in ("areas", "clusters")
    scopes = (queries.EVERYTHING, scope)
    (args, kwargs), *timed = case.calls
    try:
        invalidate(reference=True)
        for each in scopes:  # untimed: one-off start-up costs
            function(engine, *args, **kwargs, scope=each)
        started = time.perf_counter()
        for index in range(len(timed) * SCOPED_MAX_ROUNDS):
            args, kwargs = timed[index % len(timed)]
            begin = time.perf_counter()
            first = (index + index // len(timed)) % 2  # a call going round again swaps its order
            for which in (first, 1 - first):
                invalidate(reference=reference)
                gc.collect()
                cpu, start = time.process_time(), time.perf_counter()
                answer = function(engine, *args, **kwargs, scope=scopes[which])
                elapsed, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
                (case.scoped_ms if which else case.unscoped_ms).append(elapsed)
                (case.scoped_cpu_ms if which else case.unscoped_cpu_ms).append(cpu)
                (case.scoped_rows if which else case.unscoped_rows).append(len(answer))
            now = time.perf_counter()
            if index + 1 >= MIN_CALLS and now + (now - begin) - started > budget:
                break
            if index + 1 >= len(timed) and now - started >= SCOPED_MIN_SECONDS:
                break
    except Exception as exc:  # report and go on: a benchmark, not a test
        case.error = f"{type(exc).__name__}: {exc}"[:300]


def scoped_worst(cases: list[ScopedCase]) -> ScopedCase | None:
    measured = [c for c in cases if not c.error and c.scoped_ms and c.unscoped_ms]
    return max(measured, key=lambda c: c.ratio) if measured else None


def scoped_verdict_line(cases: list[ScopedCase]) -> str:
    worst = scoped_worst(cases)
    errors = [c for c in cases if c.error]
    if worst is None:
        return "scoped/unscoped cold p95: no measurement: ERROR"
    ok = worst.ratio <= SCOPED_RATIO_TARGET and not errors
    return (
        f"scoped/unscoped cold p95: worst ratio {worst.ratio:.2f} (target ≤ {SCOPED_RATIO_TARGET:.2f}): "
        f"{'PASS' if ok else 'FAIL'}  [{worst.viewer}: {worst.label}"
        f"{f'; {len(errors)} ERROR' if errors else ''}]"
    )


def print_scoped(backend: str, scopes: list[tuple[str, object]], cases: list[ScopedCase]) -> None:
    print(
        f"{backend}: cold latency in ms of a scoped viewer against the unscoped (EVERYTHING), the same calls, "
        f"interleaved (the order alternating call by call), each right after data.query.cache.invalidate() and "
        f"gc.collect(); "
        f"the scope passed as scope=; ratio = scoped p95 / unscoped p95, (p50) the same of the p50s and (cpu) of "
        f"the p95s of this process's CPU time (which other processes' load moves less), both for information; "
        f"rows = mean rows of the answers, unscoped/scoped"
    )
    for name, scope in scopes:
        print(f"  viewer {name}: scope_for(engine, {list(dict(SCOPED_VIEWERS)[name])}, True) = {scope!r}")
    print(
        f"  {'viewer':<13}{'function':<40}{'n':>4}{'unscoped p50':>14}{'p95':>8}{'scoped p50':>12}{'p95':>8}"
        f"{'ratio p95':>11}{'(p50)':>7}{'(cpu)':>7}{'rows':>14}"
    )
    for case in cases:
        label = f"{case.label} [extra]" if case.extra else case.label
        if case.error:
            print(f"  {case.viewer:<13}{label:<40}{len(case.scoped_ms):>4}  ERROR  {case.error}")
            continue
        rows = f"{np.mean(case.unscoped_rows):,.0f}/{np.mean(case.scoped_rows):,.0f}"
        p50_ratio = pct(case.scoped_ms, 50) / pct(case.unscoped_ms, 50)
        print(
            f"  {case.viewer:<13}{label:<40}{len(case.scoped_ms):>4}{pct(case.unscoped_ms, 50):>14.1f}"
            f"{pct(case.unscoped_ms, 95):>8.1f}{pct(case.scoped_ms, 50):>12.1f}{pct(case.scoped_ms, 95):>8.1f}"
            f"{case.ratio:>11.2f}{p50_ratio:>7.2f}{case.cpu_ratio:>7.2f}{rows:>14}"
        )
    print(f"  {scoped_verdict_line(cases)}")
    sys.stdout.flush()


def profile_scoped(engine: Engine, case: ScopedCase, scope) -> str:
    """cProfile of one cold call of `case`, unscoped and then scoped (same arguments)."""
    import data.query as queries
    from data.query.cache import invalidate

    function = getattr(queries, case.function)
    args, kwargs = case.calls[1]
    parts = []
    function(engine, *args, **kwargs, scope=scope)  # the reference data back, if the last case cleared it
    for name, each in (("unscoped", queries.EVERYTHING), (f"scoped {case.viewer}", scope)):
        invalidate(reference=case.function in ("areas", "clusters"))
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        function(engine, *args, **kwargs, scope=each)
        profiler.disable()
        elapsed = (time.perf_counter() - start) * 1000
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(15)
        site = str(Path(np.__file__).resolve().parent.parent) + "/"
        lines = [
            line.replace(site, "").replace(str(ROOT) + "/", "")
            for line in buffer.getvalue().splitlines()
            if line.strip()
        ]
        start_at = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        parts.append(f"  cProfile, one cold {name} call of {case.label}: {elapsed:.0f} ms under the profiler")
        parts.extend("    " + line for line in lines[start_at:])
    return "\n".join(parts)


def run_scoped(backend: str, engine: Engine, plan: gen.Plan, catalog, args) -> list[ScopedCase]:
    from data.query.cache import freeze_startup_heap

    scopes = scoped_viewers(engine)
    cases: list[ScopedCase] = []
    freeze_startup_heap()  # as at the latency section's start: the answers kept since are the bench's, not the app's
    start, load_before = time.perf_counter(), os.getloadavg()[0]
    for name, scope in scopes:
        built = build_scoped_cases(engine, plan, catalog, args.scoped_repeats, args.seed, name, scope)
        for case in built:
            if args.only in case.label:
                measure_scoped(engine, case, scope, args.budget)
                cases.append(case)
    print_scoped(
        f"{backend} (measured in {time.perf_counter() - start:.0f} s; 1-min load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after)",
        scopes,
        cases,
    )
    if args.profile == "all" or args.profile == backend:
        for case in cases:
            if not case.error and case.scoped_ms and case.ratio > SCOPED_RATIO_TARGET:
                print(profile_scoped(engine, case, dict(scopes)[case.viewer]))
        sys.stdout.flush()
    return cases


# =========================================================================== naive


def naive_comparison(backend: str, engine: Engine, cases: list[Case], catalog) -> list[dict]:
    from query_bench_naive import Naive, compare

    chosen = [c for c in cases if c.naive and c.answers]
    if not chosen:
        return []
    gc.collect()
    naive, load_s, rows = Naive.load(engine, catalog, CLUSTERS)
    print(
        f"{backend}: naive way = SELECT * FROM kpi_value, the whole table read ONCE into pandas "
        f"({rows:,} rows in {load_s:.1f} s = {rows / load_s:,.0f} rows/s); per call a pandas filter + group-by "
        f"on it; naive time of a call = that load + the call's group-by"
    )
    print(
        f"  {'function':<34}{'n':>4}{'checks':>10}  {'equal':<6}{'naive p50 ms':>14}{'(group-by)':>12}"
        f"{'layer cold p50':>16}{'ratio':>9}{'(group-by)':>12}  verdict (ratio >= {RATIO_TARGET:g}x and equal)"
    )
    results = []
    specs = {
        "province_table": (["kpi_id", "area_code"], ["value", "score", "rank_country", "rank_cluster"]),
        "map_values_district": (["area_code"], ["value", "score"]),
        "scorecard_province": (
            ["kpi_id"],
            ["value", "score", "prev_value", "yoy_value", "rank_cluster", "rank_country"],
        ),
        "cluster_comparison": (["kpi_id", "area_code"], ["value", "score", "rank_cluster", "rank_country"]),
        "scorecard_district": (["kpi_id"], ["value", "score", "prev_value", "yoy_value"]),
        "scorecard_rollup": (["kpi_id"], ["value", "score", "prev_value", "yoy_value"]),
        "goal_summary_province": (["goal"], ["score", "coverage"]),
        "province_goal_scores": (["area_code", "goal"], ["score", "coverage", "rank_country", "rank_cluster"]),
        "map_values_province": (["area_code"], ["value", "score"]),
        "map_values_subdistrict": (["area_code"], ["value", "score"]),
        "series": (["key"], ["value", "score"]),
        "data_quality_province": (["kpi_id"], ["completeness"]),
    }
    for case in chosen:
        keys, columns = specs[case.naive]
        method = getattr(naive, case.naive)
        compute_ms, checks, problems = [], 0, []
        for (args, kwargs), answer in zip(case.calls[1:], case.answers):
            period = kwargs.get("period")
            start = time.perf_counter()
            expected = method(*args, **{name: value for name, value in kwargs.items() if name != "level"})
            compute_ms.append((time.perf_counter() - start) * 1000)
            count, found = compare(answer, expected, keys, columns)
            checks += count
            problems += [f"{args} {period or ''}: {p}" for p in found]
        naive_p50 = load_s * 1000 + pct(compute_ms, 50)
        layer_p50 = pct(case.cold_ms[: len(compute_ms)], 50)
        ratio, groupby_ratio = naive_p50 / layer_p50, pct(compute_ms, 50) / layer_p50
        equal = not problems and checks > 0
        ok = equal and ratio >= RATIO_TARGET
        print(
            f"  {case.label:<34}{len(compute_ms):>4}{checks:>10,}  {'yes' if equal else 'NO':<6}{naive_p50:>14,.0f}"
            f"{pct(compute_ms, 50):>12,.0f}{layer_p50:>16,.1f}{ratio:>8,.0f}x{groupby_ratio:>11,.1f}x  "
            f"{'PASS' if ok else 'FAIL'}"
        )
        for problem in problems[:5]:
            print(f"      difference: {problem}")
        results.append(dict(backend=backend, label=case.label, ratio=ratio, equal=equal, ok=ok))
    sys.stdout.flush()
    del naive
    gc.collect()
    return results


# =========================================================================== run


def run_backend(
    backend: str, engine: Engine, plan: gen.Plan, catalog, args
) -> tuple[list[Case], list[dict], list[ScopedCase]]:
    cases = [c for c in build_cases(plan, catalog, args.repeats, args.seed) if args.only in c.label]
    from data.query.cache import freeze_startup_heap

    freeze_startup_heap()  # as the app does once it has started (see app.create_app)
    start, load_before = time.perf_counter(), os.getloadavg()[0]
    for case in cases:
        measure(engine, case, args.budget, not args.no_primed and case.function not in ("areas", "clusters"))
    print_latency(
        f"{backend} (measured in {time.perf_counter() - start:.0f} s; 1-min load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)",
        cases,
    )
    if args.profile == "all" or args.profile == backend:
        for case in cases:
            if case.error or not case.cold_ms:
                continue
            if pct(case.cold_ms, 95) > COLD_TARGET_MS:
                print(profile_call(engine, case, warm=False))
            if case.warm_ms and pct(case.warm_ms, 95) > WARM_TARGET_MS:
                print(profile_call(engine, case, warm=True))
        sys.stdout.flush()
    scoped = [] if args.skip_scoped else run_scoped(backend, engine, plan, catalog, args)
    naive = [] if args.skip_naive else naive_comparison(backend, engine, cases, catalog)
    if not args.only:
        province_import(backend, engine, plan, catalog)
    return cases, naive, scoped


def province_import(backend: str, engine: Engine, plan: gen.Plan, catalog, province: str = "50") -> None:
    """For information: a province's next quarter of every KPI (its province, districts and
    subdistricts) written into this national store, the data page's counts moved by what the
    import changed against recounting them (the baseline), each rolled back (import_bench's
    `follow_up_import`)."""
    import pandas as pd
    from import_bench import follow_up_import

    codes = [
        c for level in ("province", "district", "subdistrict") for c in plan.codes[level] if c.startswith(province)
    ]
    kpi_ids = [k.id for k in catalog.kpis]
    year = plan.fiscal_years[-1] + 1
    frame = pd.DataFrame(
        {
            "kpi_id": np.repeat(kpi_ids, len(codes)),
            "area_code": np.tile(codes, len(kpi_ids)),
            "period_type": "Q",
            "fiscal_year": year,
            "period_no": 1,
            "value": np.random.default_rng(year).uniform(1, 100, len(kpi_ids) * len(codes)),
            "target": np.nan,
            "source": None,
            "is_preliminary": False,
            "is_revised": False,
            "is_demo": False,
        }
    )
    seconds = follow_up_import(engine, frame, catalog)
    print(
        f"{backend}: province {province}'s quarter 1/{year} ({len(frame):,} values) written into this store: "
        f"{seconds['moved']:.2f} s with the data page's counts moved by the import, {seconds['recounted']:.2f} s "
        f"recounting them (baseline): {seconds['recounted'] / seconds['moved']:.1f}x",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national (about 20 M rows); 0.1 quick")
    parser.add_argument(
        "--postgres-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="admin URL of the PostgreSQL server (a throw-away database is made there)",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep-db", type=Path, help="SQLite file to keep and reuse between runs")
    parser.add_argument("--repeats", type=int, default=20, help="calls per function, each with other arguments")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help=f"seconds per function and backend (at least {MIN_CALLS} calls are made)",
    )
    parser.add_argument("--missing", type=float, default=0.01, help="share of generated rows left out")
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument(
        "--profile",
        choices=["sqlite", "postgresql", "all", "none"],
        default="sqlite",
        help="where to print a cProfile of a call of each function that misses a target",
    )
    parser.add_argument("--only", default="", help="only the functions whose label contains this text")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-scoped", action="store_true", help="skip the scoped viewers against the unscoped")
    parser.add_argument(
        "--scoped-repeats",
        type=int,
        help="calls per function and scoped viewer, each timed scoped and unscoped (default: 4 x --repeats)",
    )
    parser.add_argument(
        "--no-primed",
        action="store_true",
        help="skip the third timing (cold as in a new process, reference data rebuilt)",
    )
    args = parser.parse_args(argv)
    if args.scoped_repeats is None:
        args.scoped_repeats = 4 * args.repeats  # a ratio of two p95s is noisier than either: see SCOPED_CALLS
    print(machine.describe(), flush=True)
    started = time.perf_counter()
    results: list[tuple[str, list[Case], list[dict], list[ScopedCase]]] = []
    with tempfile.TemporaryDirectory(prefix="poc-qbench-") as folder:
        catalog_text = gen.catalog_yaml(args.seed)
        catalog_path = Path(folder) / "bench_kpis.yaml"
        catalog_path.write_text(catalog_text, encoding="utf-8")
        catalog = use_catalog(catalog_path)
        plan = gen.Plan(args.scale, args.seed, args.missing, LAST_FISCAL_YEAR)
        print(
            f"data: 60 KPIs x ({len(plan.codes['province'])} provinces + {len(plan.codes['district'])} districts + "
            f"{len(plan.codes['subdistrict'])} subdistricts) x {len(plan.periods)} quarters "
            f"(FY {plan.fiscal_years[0]}-{plan.fiscal_years[-1]}) = {plan.full_rows():,} rows "
            f"less {args.missing:.0%} left out at random",
            flush=True,
        )

        if not args.skip_sqlite:
            sqlite_path = args.keep_db.resolve() if args.keep_db else Path(folder) / "bench.sqlite"
            engine = prepare_sqlite(sqlite_path, plan, args.seed, catalog, catalog_text)
            try:
                results.append(("sqlite", *run_backend("sqlite", engine, plan, catalog, args)))
            finally:
                engine.dispose()

        if not args.skip_postgres:
            try:
                url, drop = postgres_database(args.postgres_url, "poc_qbench")
            except Exception as exc:  # the server may be absent: report, do not fail
                print(f"postgresql: not reachable at {args.postgres_url}: {exc}")
            else:
                try:
                    engine = prepare_postgres(url, plan, args.seed, catalog)
                    try:
                        results.append(("postgresql", *run_backend("postgresql", engine, plan, catalog, args)))
                    finally:
                        engine.dispose()
                finally:
                    drop()

    rss = peak_rss_mb()
    print(f"peak RSS: {rss:,.0f} MB; whole run {time.perf_counter() - started:.0f} s")
    print("targets:")
    for backend, cases, naive, _scoped in results:
        note = "" if backend == "sqlite" else " (the targets are set for SQLite)"
        for case in cases:
            label = f"{case.label} [extra]" if case.extra else case.label
            if case.error:
                print(f"  ERROR {backend}: {label}: {case.error}")
                continue
            warm = f"warm {pct(case.warm_ms, 95):,.1f} ms (<= {WARM_TARGET_MS:g})" if case.warm_ms else "not cached"
            print(
                f"  {verdict(case)}  {backend}: {label}: p95 cold {pct(case.cold_ms, 95):,.1f} ms "
                f"(<= {COLD_TARGET_MS:g}), {warm}{note}"
            )
        for item in naive:
            print(
                f"  {'PASS' if item['ok'] else 'FAIL'}  {backend}: {item['label']}: {item['ratio']:,.0f}x faster "
                f"than the naive way (>= {RATIO_TARGET:g}x), answers {'equal' if item['equal'] else 'DIFFER'}"
            )
    for backend, _cases, _naive, scoped in results:  # last: the line, per backend
        if scoped:
            print(f"  {backend}: {scoped_verdict_line(scoped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
