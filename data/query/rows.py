"""The province table and the rows below a scorecard: latest values with children filled in,
ranks and freshness. The engine room of `data.query.scores`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, Engine

from data.query.cache import cached
from data.query.periods import as_of_date, judged_on
from data.query.reference import all_areas
from data.query.scope import Scope
from data.rules import scoring
from data.rules.catalog import KPI, AggregationMethod, Direction, get_catalog
from data.rules.periods import Period
from data.store.frames import LENGTH_OF_LEVEL, latest_rows, read_values, score_rows
from data.store.rollups import aggregate_rows

MAX_PREFIXES = 24  # a KPI missing in more areas than this reads all its child rows in one range


@cached
def province_table(
    engine: Engine, period: Period | None = None, scope: Scope | None = None, today: dt.date | None = None
) -> pd.DataFrame:
    """Every province × every KPI: latest value by the period, score, status, rank in cluster
    and country, and gap to the best province of the cluster. The base of maps, ranks and
    cluster comparisons."""
    if scope != scope.kpi_view():  # ranks and gaps are published figures: computed over every province
        full = province_table(engine, period, scope.kpi_view(), today)
        return full[scope.holds_all(full["area_code"])].reset_index(drop=True)
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog)}
    as_of = as_of_date(period, today)
    table = all_areas(engine)
    provinces = table[table.level == "province"]
    with engine.connect() as connection:
        rows = read_values(connection, list(kpis), level="province", as_of=as_of, latest_only=True)
        rows = _fill_missing_from_children(connection, rows, kpis, provinces, "district", as_of)
    latest = score_rows(latest_rows(rows), kpis, catalog, "province")
    latest["cluster_code"] = latest["area_code"].map(provinces["cluster_code"])
    result = _rank(latest, kpis)
    result["freshness"] = _freshness(result, kpis, judged_on(period, today))
    return result


def _rank(latest: pd.DataFrame, kpis: dict[str, KPI]) -> pd.DataFrame:
    """Rank of each province per KPI in its cluster and in the country, by value in the KPI's
    direction, and the gap to the best, in KPI units."""
    sign = latest["kpi_id"].map({k: scoring.direction_sign(kpi.direction) for k, kpi in kpis.items()})
    # a context KPI (population, area, GPP size) has no better side: never ranked
    sign = sign.where(
        latest["kpi_id"].map({k: kpi.direction is not Direction.context for k, kpi in kpis.items()}).astype(bool)
    )
    ranked = scoring.rank_within(latest, "value", sign, ["kpi_id"], "country")
    return scoring.rank_within(ranked, "value", sign, ["kpi_id", "cluster_code"], "cluster")


def _fill_missing_from_children(
    connection: Connection,
    rows: pd.DataFrame,
    kpis: dict[str, KPI],
    parents: pd.DataFrame,
    child_level: str,
    as_of: dt.date,
) -> pd.DataFrame:
    """Where an area has no value of a KPI published at a finer level, aggregate its children's.

    Only the children of the (KPI, area) pairs that lack a value are read, with the parts
    (weights, numerators, denominators) those KPIs need: a few seeks of the primary key
    instead of every child row of every KPI.
    """
    finer = [
        k
        for k in kpis.values()
        if LENGTH_OF_LEVEL[k.finest_level] >= LENGTH_OF_LEVEL[child_level]
        and k.aggregation.method is not AggregationMethod.none
    ]
    parent_codes = list(parents["code"])
    # .tolist(): iterating pandas string arrays element by element is many times slower
    present = set(zip(rows["kpi_id"].tolist(), rows["area_code"].tolist())) if not rows.empty else set()
    missing = {k.id: [code for code in parent_codes if (k.id, code) not in present] for k in finer}
    wanted = [k for k in finer if missing[k.id]]
    if not wanted:
        return rows
    prefixes: dict[str, set[str]] = {}
    for k in wanted:
        agg = k.aggregation
        for kpi_id in (k.id, agg.weight_kpi, agg.numerator_kpi, agg.denominator_kpi):
            if kpi_id:
                prefixes.setdefault(kpi_id, set()).update(missing[k.id])
    children = read_values(
        connection,
        sorted(prefixes),
        level=child_level,
        as_of=as_of,
        prefixes_by_kpi={k: None if len(codes) > MAX_PREFIXES else sorted(codes) for k, codes in prefixes.items()},
    )
    if children.empty:
        return rows
    parent_of = pd.Series(
        {code: code[: LENGTH_OF_LEVEL[parents["level"].iloc[0]]] for code in children["area_code"].unique()}
    )
    parent_of = parent_of[parent_of.isin(parents["code"])]
    expected = _children_count(parents, child_level)
    aggregated = aggregate_rows(children, {k.id: k for k in wanted}, parent_of, expected)
    if aggregated.empty:
        return rows
    aggregated = aggregated[
        [pair not in present for pair in zip(aggregated["kpi_id"].tolist(), aggregated["area_code"].tolist())]
    ]
    aggregated = aggregated.assign(is_aggregated=True)
    return pd.concat([rows.assign(is_aggregated=False, coverage=1.0), aggregated], ignore_index=True)


def _children_count(parents: pd.DataFrame, child_level: str) -> pd.Series:
    """Number of areas of `child_level` in each parent (DOPA codes nest by prefix)."""
    import geothai

    counts = {}
    for code in parents["code"]:
        if child_level == "district":
            counts[code] = len(geothai.districts(code))
        else:
            counts[code] = len(geothai.subdistricts(code))
    return pd.Series(counts, dtype=float)


def _freshness(frame: pd.DataFrame, kpis: dict[str, KPI], as_of: dt.date) -> list[str]:
    """Freshness per row, computed once per distinct (frequency, period)."""
    frequency = {k: kpi.frequency.value for k, kpi in kpis.items()}
    known: dict[tuple, str] = {}
    states = []
    for kpi_id, period_type, year, number in zip(
        frame["kpi_id"].tolist(),
        frame["period_type"].tolist(),
        frame["fiscal_year"].tolist(),
        frame["period_no"].tolist(),
    ):
        key = (frequency[kpi_id], period_type, int(year), int(number))
        state = known.get(key)
        if state is None:
            state = known[key] = scoring.freshness(Period(period_type, key[2], key[3]), key[0], as_of)
        states.append(state)
    return states
