"""Reading KPI values into DataFrames, and enriching the latest rows: the query layer's engine room.

Everything here works on one store and returns DataFrames; `data.query` composes these
into the named functions views call. The period key is fiscal_year * 100 + period_no.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Integer, and_, case, cast, or_, select, tuple_
from sqlalchemy import true as literal_true
from sqlalchemy.orm import aliased

from data.rules import scoring
from data.rules.catalog import KPI, AggregationMethod, Catalog
from data.rules.periods import Period
from data.rules.value_fields import VALUE_KEY
from data.store.schema import Area, KpiRollup, KpiRow, KpiValue

LEVEL_OF_LENGTH = {2: "province", 4: "district", 6: "subdistrict"}
LENGTH_OF_LEVEL = {level: length for length, level in LEVEL_OF_LENGTH.items()}
TREND_POINTS = 8
VALUE_FIELDS = [*VALUE_KEY, "value", "target", "is_demo", "is_preliminary"]  # a value as the readers carry it


def cutoff_period(period_type: str, as_of: dt.date) -> Period:
    """The latest period of `period_type` that has ended by `as_of` (inclusive)."""
    current = Period.containing(as_of, period_type)
    return current if current.end <= as_of else current.previous()


def key_of(fiscal_year, period_no):
    return fiscal_year * 100 + period_no


def previous_key_of(period_type: str, fiscal_year: np.ndarray, period_no: np.ndarray) -> np.ndarray:
    if period_type == "Y":
        return key_of(fiscal_year - 1, 0)
    last = 4 if period_type == "Q" else 12
    first = period_no == 1
    return np.where(first, key_of(fiscal_year - 1, last), key_of(fiscal_year, period_no - 1))


# fiscal years of history read back from the selected period, per period type: enough for the
# previous period, the same period a year earlier, and the trend points
HISTORY_YEARS_BY_TYPE = {"Y": 7, "Q": 2, "M": 1}


def period_key(table):
    """fiscal_year * 100 + period_no as an INTEGER expression (fiscal_year is SMALLINT)."""
    return cast(table.fiscal_year, Integer) * 100 + cast(table.period_no, Integer)


def period_filter(as_of: dt.date, table=KpiValue):
    """SQL condition: periods that ended by `as_of`, within each period type's history window."""
    clauses = []
    for period_type, years in HISTORY_YEARS_BY_TYPE.items():
        cutoff = cutoff_period(period_type, as_of)
        # the same window with or without latest_only, so maps, ranks and scorecards agree
        first_year = cutoff.fiscal_year - years
        clauses.append(
            and_(
                table.period_type == period_type,
                table.fiscal_year >= first_year,
                period_key(table) <= key_of(cutoff.fiscal_year, cutoff.period_no),
            )
        )
    return or_(*clauses)


ROLLUP_FIELDS = [*VALUE_KEY, "value", "coverage", "is_demo", "is_preliminary"]  # a roll-up row


def read_rollups(
    connection: Connection, kpi_ids: list[str], area_code: str, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Materialised values of a cluster, region or the country (see `data.store.rollups`)."""
    conditions = [KpiRollup.area_code == area_code, KpiRollup.kpi_id.in_(kpi_ids)]
    if as_of is not None:
        conditions.append(period_filter(as_of, table=KpiRollup))
    query = select(*(getattr(KpiRollup, name) for name in ROLLUP_FIELDS)).where(*conditions)
    frame = frame_from_rows(connection.execute(query).cursor.fetchall(), ROLLUP_FIELDS)
    frame["is_demo"] = frame["is_demo"].astype(bool)
    frame["is_preliminary"] = frame["is_preliminary"].astype(bool)
    frame["target"] = np.nan
    frame["is_aggregated"] = True
    frame["key"] = key_of(frame["fiscal_year"].astype("int64"), frame["period_no"].astype("int64"))
    return frame


def read_values(
    connection: Connection,
    kpi_ids: list[str],
    *,
    area_codes: list[str] | None = None,
    level: str | None = None,
    prefix: str | None = None,
    as_of: dt.date | None = None,
    latest_only: bool = False,
    prefixes_by_kpi: dict[str, list[str] | None] | None = None,
) -> pd.DataFrame:
    """Current values of `kpi_ids` for explicit areas, or for every area of `level` under `prefix`.

    `prefixes_by_kpi` (with `level`) narrows each KPI to the areas under its own prefixes
    (None: all of them), as one OR of primary-key ranges.

    With `as_of`, only periods that ended by then, within the history window; with
    `latest_only`, just the latest such period per KPI and area (chosen in SQL).
    """
    if latest_only:
        if level is None or area_codes is not None or prefixes_by_kpi is not None:
            raise ValueError("latest_only reads every area of a level (under a prefix)")
        return _read_latest(connection, kpi_ids, level, prefix, as_of)
    conditions = [KpiValue.kpi_id.in_(kpi_ids)]
    if area_codes is not None:
        conditions.append(KpiValue.area_code.in_(area_codes))
        conditions.append(KpiValue.area_level.in_(sorted({len(code) for code in area_codes})))
    if level is not None:
        conditions.append(KpiValue.area_level == LENGTH_OF_LEVEL[level])
    if prefix:
        conditions.append(under(KpiValue.area_code, prefix))
    if prefixes_by_kpi is not None and level is not None:
        ranges = []  # each with the key's leading columns, so each is one index range
        same_level = KpiValue.area_level == LENGTH_OF_LEVEL[level]
        for kpi_id, codes in prefixes_by_kpi.items():
            if codes is None:
                ranges.append(and_(KpiValue.kpi_id == kpi_id, same_level))
            else:
                ranges.extend(
                    and_(KpiValue.kpi_id == kpi_id, same_level, under(KpiValue.area_code, code)) for code in codes
                )
        conditions.append(or_(*ranges))
    if as_of is not None:
        conditions.append(period_filter(as_of))
    query = select(*(getattr(KpiValue, name) for name in VALUE_FIELDS)).where(*conditions)
    # plain DB-API tuples: SQLAlchemy's per-row processing would cost more than the query itself
    return _value_frame(connection.execute(query).cursor.fetchall())


def _value_frame(rows: list) -> pd.DataFrame:
    frame = frame_from_rows(rows, VALUE_FIELDS)
    frame["is_demo"] = frame["is_demo"].astype(bool)
    frame["is_preliminary"] = frame["is_preliminary"].astype(bool)
    frame["key"] = key_of(frame["fiscal_year"].astype("int64"), frame["period_no"].astype("int64"))
    return frame


def _read_latest(
    connection: Connection, kpi_ids: list[str], level: str, prefix: str | None, as_of: dt.date | None
) -> pd.DataFrame:
    """The latest value by `as_of` (within the history window) per KPI and area of `level`, in
    the KPI's own period type.

    Per (KPI, area) pair a correlated subquery walks the primary key backwards from the
    cutoff and stops at the first row (ORDER BY … DESC LIMIT 1); the row is then fetched by
    its full key. Two index seeks a pair, however many periods the store holds, where a
    GROUP BY over the window would read every period of every pair.
    """
    length = LENGTH_OF_LEVEL[level]
    area_list = _area_list(level, prefix)
    kpi_list = select(KpiRow.id, KpiRow.period_type).where(KpiRow.id.in_(kpi_ids)).subquery("kpis")
    inner = aliased(KpiValue)
    conditions = [
        inner.kpi_id == kpi_list.c.id,
        inner.area_level == length,
        inner.area_code == area_list.c.code,
        inner.period_type == kpi_list.c.period_type,
    ]
    if as_of is not None:
        conditions += _window_by_type(inner, kpi_list.c.period_type, as_of)
    newest = (
        select(period_key(inner))
        .where(*conditions)
        .order_by(inner.fiscal_year.desc(), inner.period_no.desc())
        .limit(1)
        .correlate(kpi_list, area_list)
        .scalar_subquery()
    )
    # MATERIALIZED: each pair's subquery runs once, not again inside the join (SQLite >= 3.35, PostgreSQL >= 12)
    pairs = (
        select(
            kpi_list.c.id.label("k"), kpi_list.c.period_type.label("t"), area_list.c.code.label("a"), newest.label("m")
        )
        .select_from(kpi_list.join(area_list, literal_true()))
        .cte("pairs")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(*(getattr(KpiValue, name) for name in VALUE_FIELDS))
        .select_from(pairs)
        .join(
            KpiValue,
            and_(
                KpiValue.kpi_id == pairs.c.k,
                KpiValue.area_level == length,
                KpiValue.area_code == pairs.c.a,
                KpiValue.period_type == pairs.c.t,
                KpiValue.fiscal_year == pairs.c.m // 100,
                KpiValue.period_no == pairs.c.m % 100,
            ),
        )
    )
    return _value_frame(connection.execute(query).cursor.fetchall())


def _area_list(level: str, prefix: str | None):
    """The codes of the areas of `level` (under `prefix`), as a subquery."""
    query = select(Area.code).where(Area.level == level)
    if prefix:
        query = query.where(under(Area.code, prefix))
    return query.subquery("areas")


def _window_by_type(values, period_type, as_of: dt.date) -> list:
    """The conditions keeping the rows of `values` (an alias of `KpiValue`) within each KPI's
    cutoff by `as_of` and its history window, both by the KPI's `period_type` (a column)."""
    cutoffs = {kind: cutoff_period(kind, as_of) for kind in HISTORY_YEARS_BY_TYPE}

    def by_type(numbers: dict[str, int]):
        return case(numbers, value=period_type, else_=None)

    return [
        values.fiscal_year >= by_type({t: c.fiscal_year - HISTORY_YEARS_BY_TYPE[t] for t, c in cutoffs.items()}),
        tuple_(values.fiscal_year, values.period_no)
        <= tuple_(
            by_type({t: c.fiscal_year for t, c in cutoffs.items()}),
            by_type({t: c.period_no for t, c in cutoffs.items()}),
        ),
    ]


def under(column, prefix: str):
    """Codes starting with `prefix` (DOPA codes nest by prefix), as a range the key can seek."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def frame_from_rows(rows: list, columns: list[str]) -> pd.DataFrame:
    """A DataFrame from result rows, column by column (much faster than row objects)."""
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    return pd.DataFrame(dict(zip(columns, zip(*rows))))


def latest_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The latest row per KPI and area."""
    if rows.empty:
        return rows
    return rows.sort_values("key").groupby(["kpi_id", "area_code"], sort=False).tail(1)


def period_shares(kpi: KPI, period_types, period_nos) -> np.ndarray:
    """`KPI.target_share` of each row's period (computed once per distinct period)."""
    known: dict[tuple, float] = {}
    shares = []
    for period_type, number in zip(period_types, period_nos):
        key = (period_type, int(number))
        if key not in known:
            known[key] = kpi.target_share(*key)
        shares.append(known[key])
    return np.asarray(shares, dtype=float)


def pace_shares(kpi: KPI, period_types, period_nos) -> np.ndarray:
    """The share of a full year a cumulative KPI's value covers by each row's period (its target
    schedule, else the elapsed share), so values of different months compare: 1 for the rest."""
    if not kpi.cumulative:
        return np.ones(len(period_types))
    if kpi.target_basis is not None and kpi.target_basis.value == "fiscal_year":
        return period_shares(kpi, period_types, period_nos)
    counts = {"Q": 4, "M": 12}
    return np.array(
        [int(n) / counts[t] if t in counts and int(n) > 0 else 1.0 for t, n in zip(period_types, period_nos)],
        dtype=float,
    )


def score_rows(latest: pd.DataFrame, kpis: dict[str, KPI], catalog: Catalog, level: str) -> pd.DataFrame:
    """Add target, score, status, achievement and gap to rows (vectorised per KPI).

    Each row is judged against the target of its own period: a fiscal-year target
    (`KPI.target_share`) is due in part by the end of a quarter or month, and the thresholds
    scale with it. A target imported with a row is that period's own target. `gap` is value
    minus target in the KPI's unit; `better` says whether the value is on the good side of it.
    """
    latest = latest.reset_index(drop=True)
    values = latest["value"].astype(float).to_numpy()
    targets = latest["target"].astype(float).to_numpy().copy()
    scores = np.full(len(latest), np.nan)
    statuses = np.full(len(latest), scoring.NO_DATA, dtype=object)
    achievement = np.full(len(latest), np.nan)
    better = np.full(len(latest), np.nan)
    for kpi_id, index in latest.groupby("kpi_id", sort=False).indices.items():
        kpi = kpis[kpi_id]
        shares = period_shares(kpi, latest["period_type"].to_numpy()[index], latest["period_no"].to_numpy()[index])
        sums_below_province = kpi.aggregation.method is AggregationMethod.sum and level in ("district", "subdistrict")
        if kpi.target is not None and not sums_below_province:  # the catalog target is a province-level figure
            targets[index] = np.where(np.isnan(targets[index]), kpi.target * shares, targets[index])
        if kpi.scored:
            if np.all(shares == 1.0):
                scores[index] = scoring.opdc_score(values[index], kpi.thresholds, kpi.direction)
            else:  # thresholds of a fiscal-year target scale with the share due
                for share in np.unique(shares):
                    rows = index[shares == share]
                    scores[rows] = scoring.opdc_score(
                        values[rows], tuple(t * share for t in kpi.thresholds), kpi.direction
                    )
            statuses[index] = scoring.status_of(scores[index], catalog.status_rule_for(kpi))
        else:
            statuses[index] = scoring.status_of(values[index], catalog.status_rule, scored=False)
        achievement[index] = scoring.achievement_pct(values[index], targets[index], kpi.direction)
        better[index] = scoring.better_than_target(values[index], targets[index], kpi.direction)
    return latest.assign(
        target=targets, score=scores, status=statuses, achievement=achievement, gap=values - targets, better=better
    )


def with_history(latest: pd.DataFrame, rows: pd.DataFrame, kpis: dict[str, KPI]) -> pd.DataFrame:
    """Add the previous period's and the year-earlier value, changes, and the trend.

    The rows of one area's history are few (hundreds): plain dictionaries over them cost a
    fraction of pandas' index machinery.
    """
    if latest.empty:
        return latest.assign(
            prev_value=np.nan, yoy_value=np.nan, trend=scoring.STABLE, trend_values=pd.Series(dtype=object)
        )
    latest = latest.copy()
    years = latest["fiscal_year"].to_numpy().astype("int64")
    numbers = latest["period_no"].to_numpy().astype("int64")
    previous_key = np.empty(len(latest), dtype="int64")
    for period_type, index in latest.groupby("period_type").indices.items():
        previous_key[index] = previous_key_of(period_type, years[index], numbers[index])
    yoy_key = key_of(years - 1, numbers)
    row_kpis, row_areas = rows["kpi_id"].tolist(), rows["area_code"].tolist()
    row_keys, row_values = rows["key"].tolist(), rows["value"].tolist()
    lookup = dict(zip(zip(row_kpis, row_areas, row_keys), row_values))  # a repeated key: the last row
    pairs = list(zip(latest["kpi_id"].tolist(), latest["area_code"].tolist()))
    latest["prev_value"] = np.array(
        [lookup.get((k, a, key), np.nan) for (k, a), key in zip(pairs, previous_key.tolist())], dtype=float
    )
    latest["yoy_value"] = np.array(
        [lookup.get((k, a, key), np.nan) for (k, a), key in zip(pairs, yoy_key.tolist())], dtype=float
    )
    latest["change"] = latest["value"] - latest["prev_value"]
    latest["yoy_change"] = latest["value"] - latest["yoy_value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        latest["change_pct"] = np.where(
            latest["prev_value"] != 0, latest["change"] / latest["prev_value"].abs() * 100, np.nan
        )
        latest["yoy_change_pct"] = np.where(
            latest["yoy_value"] != 0, latest["yoy_change"] / latest["yoy_value"].abs() * 100, np.nan
        )
    newest_of_kpi = dict(zip(latest["kpi_id"].tolist(), latest["key"].tolist()))
    history: dict[tuple, list] = {}
    paced = {k for k in newest_of_kpi if kpis[k].cumulative}
    if paced:  # a year-to-date total is made comparable across the year: its full-year pace
        row_values = list(row_values)
        types = rows["period_type"].tolist()
        for kpi_id in paced:
            kpi = kpis[kpi_id]
            at = [i for i, k in enumerate(row_kpis) if k == kpi_id]
            shares = pace_shares(kpi, [types[i] for i in at], [row_keys[i] % 100 for i in at])
            for i, share in zip(at, shares):
                row_values[i] = row_values[i] / share if share > 0 else np.nan
    for kpi_id, area_code, key, value in zip(row_kpis, row_areas, row_keys, row_values):
        if key <= newest_of_kpi.get(kpi_id, 0):
            history.setdefault((kpi_id, area_code), []).append((key, value))
    trend_values = []
    for pair in pairs:
        points = sorted(history.get(pair, ()), key=lambda point: point[0])  # stable: equal keys keep row order
        trend_values.append(tuple(value for _, value in points[-TREND_POINTS:]))
    latest["trend_values"] = trend_values
    latest["trend"] = [scoring.trend_of(values, kpis[k].direction) for (k, _), values in zip(pairs, trend_values)]
    return latest
