"""Roll-ups: KPI values of clusters, regions and the country, aggregated from their provinces.

Aggregation follows each KPI's own rule (`sum`, `weighted_mean` by a weight KPI, `ratio` of
two KPIs, or `none`). The same function fills a province from its districts when a KPI is
published only below the province. Cluster, region and country values are materialised in
`kpi_rollup` in the same transaction as every write of values, so a national scorecard is a
plain read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Integer, cast, delete, func, select

from data.rules.catalog import KPI, AggregationMethod, Catalog
from data.rules.value_fields import VALUE_KEY
from data.store.bulk import insert_rows
from data.store.frames import ROLLUP_FIELDS, VALUE_FIELDS, frame_from_rows
from data.store.schema import Area, KpiRollup, KpiValue

ROLLUP_COLUMNS = tuple(ROLLUP_FIELDS)
VALUE_KEYS = list(VALUE_KEY)


def aggregate_rows(rows: pd.DataFrame, kpis: dict[str, KPI], parent_of: pd.Series, expected: pd.Series) -> pd.DataFrame:
    """Parent rows from child rows, per KPI and period, by each KPI's own rule.

    `parent_of` maps child area code -> parent code; `expected` maps parent -> number of
    children. A ratio KPI is sum(numerator) / sum(denominator) × scale over the children that
    report all three; a weighted mean uses its weight KPI's rows (the same period, or else
    the same fiscal year). The parts' rows must be in `rows`.
    """
    return group_contributions(contributions(rows, kpis), parent_of, expected)


def contributions(rows: pd.DataFrame, kpis: dict[str, KPI]) -> pd.DataFrame:
    """Each child row's share of its parent's value: `num` and `den` to be summed per parent
    (the value itself for sums; value × weight and weight for weighted means; numerator and
    denominator for ratios), and `scale` (NaN for sums). Computed once, grouped many ways."""
    methods = {k.id: k.aggregation.method for k in kpis.values()}
    wanted = rows[
        rows["kpi_id"]
        .map(methods)
        .isin([AggregationMethod.sum, AggregationMethod.weighted_mean, AggregationMethod.ratio])
    ]
    if wanted.empty:
        return wanted.assign(num=pd.Series(dtype=float), den=pd.Series(dtype=float), scale=pd.Series(dtype=float))
    by_kpi = dict(tuple(rows.groupby("kpi_id", sort=False)))
    pieces = []
    for kpi_id, group in wanted.groupby("kpi_id", sort=False):
        kpi = kpis[kpi_id]
        method = kpi.aggregation.method
        if method is AggregationMethod.sum:
            pieces.append(group.assign(num=group["value"], den=1.0, scale=np.nan))
            continue
        part_ids = (
            (kpi.aggregation.weight_kpi,)
            if method is AggregationMethod.weighted_mean
            else (kpi.aggregation.numerator_kpi, kpi.aggregation.denominator_kpi)
        )
        merged = group
        for index, part_id in enumerate(part_ids):
            merged = _attach_part(merged, by_kpi.get(part_id, rows.iloc[0:0]), f"part{index}")
        if method is AggregationMethod.weighted_mean:
            merged = merged[merged["part0"] > 0]
            pieces.append(merged.assign(num=merged["value"] * merged["part0"], den=merged["part0"], scale=1.0))
        else:
            merged = merged.dropna(subset=["part0", "part1"])
            pieces.append(merged.assign(num=merged["part0"], den=merged["part1"], scale=kpi.aggregation.scale))
    columns = [
        "kpi_id",
        "area_code",
        "period_type",
        "fiscal_year",
        "period_no",
        "key",
        "value",
        "num",
        "den",
        "scale",
        "is_demo",
        "is_preliminary",
    ]
    return pd.concat([piece[columns] for piece in pieces], ignore_index=True)


def group_contributions(stacked: pd.DataFrame, parent_of: pd.Series, expected: pd.Series) -> pd.DataFrame:
    """Sum contributions per parent, KPI and period; value, and coverage against `expected`."""
    keys = ["kpi_id", "parent", "period_type", "fiscal_year", "period_no", "key"]
    stacked = stacked.assign(parent=stacked["area_code"].map(parent_of)).dropna(subset=["parent"])
    if stacked.empty:
        return pd.DataFrame(columns=VALUE_FIELDS + ["key", "coverage"])
    stacked["reported"] = stacked["value"].notna().astype(int)
    grouped = stacked.groupby(keys, sort=False)
    agg = grouped[["num", "den", "reported"]].sum()
    agg["scale"] = grouped["scale"].first()
    agg["is_demo"] = grouped["is_demo"].max()
    agg["is_preliminary"] = grouped["is_preliminary"].max()
    agg = agg.reset_index()
    is_sum = agg["scale"].isna()
    with np.errstate(divide="ignore", invalid="ignore"):
        agg["value"] = np.where(
            is_sum, agg["num"], np.where(agg["den"] != 0, agg["num"] / agg["den"] * agg["scale"], np.nan)
        )
    agg["coverage"] = agg["reported"] / agg["parent"].map(expected).astype(float)
    agg["target"] = np.nan
    return agg.drop(columns=["num", "den", "scale", "reported"]).rename(columns={"parent": "area_code"})


def _attach_part(frame: pd.DataFrame, part: pd.DataFrame, column: str) -> pd.DataFrame:
    """Add a part KPI's value for the same area and period (or fiscal year, for an annual part).

    Matched on one int64 key per row (DOPA codes are digits), far faster than a 3-column merge.
    """
    if part.empty:
        return frame.assign(**{column: np.nan})
    same_type = part["period_type"].iloc[0] == frame["period_type"].iloc[0]
    part_keys = _row_keys(part, same_type)
    lookup = pd.Series(part["value"].to_numpy(), index=part_keys)
    lookup = lookup[~lookup.index.duplicated(keep="last")]
    positions = lookup.index.get_indexer(_row_keys(frame, same_type))
    values = np.where(positions >= 0, lookup.to_numpy()[positions], np.nan)
    return frame.assign(**{column: values})


def _row_keys(frame: pd.DataFrame, with_period: bool) -> np.ndarray:
    area = frame["area_code"].astype("int64").to_numpy()
    year = frame["fiscal_year"].astype("int64").to_numpy()
    if with_period:
        return area * 1_000_000 + year * 100 + frame["period_no"].astype("int64").to_numpy()
    return area * 10_000 + year


def _in_years(statement, fiscal_years: list[int] | None):
    """`statement` over the rows of `fiscal_years` only (None: every year)."""
    return statement if fiscal_years is None else statement.where(KpiValue.fiscal_year.in_(fiscal_years))


def _with_provinces_from_districts(
    connection: Connection,
    rows: pd.DataFrame,
    kpis: dict[str, KPI],
    kpi_ids: list[str],
    fiscal_years: list[int] | None = None,
) -> pd.DataFrame:
    """Add province rows aggregated from districts where a province reported only by district.

    Sums are added up in SQL (one grouped scan of the district rows); a ratio is then taken
    from its parts' province totals, and a weighted mean from its district rows and weights.
    """
    kpi_number = {kpi_id: number for number, kpi_id in enumerate(kpis)}

    def full_keys(frame: pd.DataFrame) -> np.ndarray:
        return frame["kpi_id"].map(kpi_number).to_numpy(dtype="int64") * 10**13 + _row_keys(frame, True)

    present = pd.Index(full_keys(rows) if len(rows) else np.zeros(0, dtype="int64"))

    def missing_only(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        return frame[present.get_indexer(full_keys(frame)) < 0]

    sums = [k for k in kpi_ids if kpis[k].aggregation.method is AggregationMethod.sum]
    added = []
    if sums:
        totals = _district_sums(connection, sums, fiscal_years)
        if not totals.empty:
            totals["target"] = np.nan
            added.append(missing_only(totals))
    combined = pd.concat([rows[VALUE_KEYS + ["value", "is_demo", "is_preliminary"]], *added], ignore_index=True)
    for kpi_id in kpi_ids:
        method = kpis[kpi_id].aggregation.method
        if method is AggregationMethod.ratio:
            filled = _ratio_of_province_parts(combined, kpi_id, kpis[kpi_id])
        elif method is AggregationMethod.weighted_mean:
            filled = _weighted_mean_of_districts(connection, kpi_id, kpis[kpi_id], fiscal_years)
        else:
            continue
        if filled is not None:
            added.append(missing_only(filled))
    if not added:
        return rows
    extra = pd.concat(added, ignore_index=True)
    extra["is_demo"] = extra["is_demo"].astype(bool)
    extra["is_preliminary"] = extra["is_preliminary"].astype(bool)
    extra["key"] = extra["fiscal_year"].astype("int64") * 100 + extra["period_no"].astype("int64")
    return pd.concat([rows, extra[[c for c in rows.columns if c in extra.columns]]], ignore_index=True)


def _district_sums(connection: Connection, sums: list[str], fiscal_years: list[int] | None) -> pd.DataFrame:
    """Province totals of the summed KPIs `sums`, added up from their district rows in SQL."""
    province = func.substr(KpiValue.area_code, 1, 2)
    flag = lambda column: func.max(cast(column, Integer))  # noqa: E731 - booleans have no MAX on PostgreSQL
    query = _in_years(
        select(
            KpiValue.kpi_id,
            province,
            KpiValue.period_type,
            KpiValue.fiscal_year,
            KpiValue.period_no,
            func.sum(KpiValue.value),
            flag(KpiValue.is_demo),
            flag(KpiValue.is_preliminary),
        ).where(KpiValue.kpi_id.in_(sums), KpiValue.area_level == 4),
        fiscal_years,
    )
    query = query.group_by(KpiValue.kpi_id, province, KpiValue.period_type, KpiValue.fiscal_year, KpiValue.period_no)
    return frame_from_rows(
        connection.execute(query).cursor.fetchall(), VALUE_KEYS + ["value", "is_demo", "is_preliminary"]
    )


def _ratio_of_province_parts(combined: pd.DataFrame, kpi_id: str, kpi: KPI) -> pd.DataFrame | None:
    """A ratio KPI's province rows from its parts' province rows (None: a part has none)."""
    agg = kpi.aggregation
    num = combined[combined["kpi_id"] == agg.numerator_kpi]
    den = combined[combined["kpi_id"] == agg.denominator_kpi]
    if num.empty or den.empty:
        return None
    same_type = num["period_type"].iloc[0] == den["period_type"].iloc[0]
    on = ["area_code", "fiscal_year", "period_no"] if same_type else ["area_code", "fiscal_year"]
    den = den[on + ["value"]].drop_duplicates(on, keep="last").rename(columns={"value": "den"})
    pair = num.merge(den, on=on, how="inner")
    pair = pair[pair["den"] > 0]
    ratio = pair.assign(
        kpi_id=kpi_id, value=pair["value"] / pair["den"] * agg.scale, period_type=pair["period_type"]
    ).drop(columns=["den"])
    return ratio.assign(target=np.nan)


def _weighted_mean_of_districts(
    connection: Connection, kpi_id: str, kpi: KPI, fiscal_years: list[int] | None
) -> pd.DataFrame | None:
    """A weighted-mean KPI's province rows from its district rows and their weights (None: no
    district rows)."""
    columns = [getattr(KpiValue, name) for name in VALUE_FIELDS]
    query = _in_years(
        select(*columns).where(KpiValue.kpi_id.in_([kpi_id, kpi.aggregation.weight_kpi]), KpiValue.area_level == 4),
        fiscal_years,
    )
    districts = frame_from_rows(connection.execute(query).cursor.fetchall(), VALUE_FIELDS)
    if districts.empty:
        return None
    districts["key"] = districts["fiscal_year"].astype("int64") * 100 + districts["period_no"].astype("int64")
    parent_of = pd.Series({code: code[:2] for code in districts["area_code"].unique()})
    filled = aggregate_rows(districts, {kpi_id: kpi}, parent_of, parent_of.value_counts().astype(float))
    return filled[filled["value"].notna()]


def province_groups(connection: Connection) -> list[tuple[pd.Series, pd.Series]]:
    """For clusters, regions and the country: province -> parent code, and parent -> member count."""
    rows = connection.execute(select(Area.code, Area.parent_code).where(Area.level.in_(["province", "cluster"]))).all()
    parent = dict(rows)
    provinces = [code for code in parent if len(code) == 2]
    cluster = pd.Series({p: parent[p] for p in provinces if (parent[p] or "").startswith("C")})
    region = cluster.map(parent).dropna()
    country = pd.Series("TH", index=provinces)
    return [(mapping, mapping.value_counts().astype(float)) for mapping in (cluster, region, country)]


def refresh_rollups(
    connection: Connection, catalog: Catalog, kpi_ids: set[str] | None = None, fiscal_years: set[int] | None = None
) -> int:
    """Recompute the cluster, region and country values of `kpi_ids` (default all) and of
    every KPI that uses them as a part, for `fiscal_years` (default all); return the number of
    roll-up rows written.

    A parent value depends only on its children's values of the same period, and a part
    (weight, numerator, denominator) is looked up in the same period or fiscal year, so an
    import that touches one year refreshes that year only, however many years the store holds.
    """
    kpis = catalog.by_id()
    affected = _affected(catalog, kpis, kpi_ids)
    if not affected:
        return 0
    years = None if fiscal_years is None else sorted(int(year) for year in fiscal_years)
    stale = delete(KpiRollup).where(KpiRollup.kpi_id.in_(sorted(affected)))
    connection.execute(stale if years is None else stale.where(KpiRollup.fiscal_year.in_(years)))
    rows = _province_rows(connection, kpis, affected, years)
    shares = contributions(rows, {k: kpis[k] for k in affected})
    results = [group_contributions(shares, parent_of, expected) for parent_of, expected in province_groups(connection)]
    result = pd.concat(results, ignore_index=True)
    result = result[result["value"].notna()]
    if result.empty:
        return 0
    _insert_rollups(connection, result)
    return len(result)


def _affected(catalog: Catalog, kpis: dict[str, KPI], kpi_ids: set[str] | None) -> set[str]:
    """The KPIs with roll-ups among `kpi_ids` (None: all) and the KPIs using one of them as a part."""
    if kpi_ids is None:
        affected = set(kpis)
    else:
        affected = set(kpi_ids)
        for kpi in catalog.kpis:
            agg = kpi.aggregation
            if {agg.weight_kpi, agg.numerator_kpi, agg.denominator_kpi} & affected:
                affected.add(kpi.id)
    return {k for k in affected if k in kpis and kpis[k].aggregation.method is not AggregationMethod.none}


def _province_rows(
    connection: Connection, kpis: dict[str, KPI], affected: set[str], years: list[int] | None
) -> pd.DataFrame:
    """The province rows of the `affected` KPIs and their parts, with the provinces a KPI
    published below the province level aggregated from their districts."""
    needed = set(affected)
    for kpi_id in affected:
        agg = kpis[kpi_id].aggregation
        needed.update(p for p in (agg.weight_kpi, agg.numerator_kpi, agg.denominator_kpi) if p)
    columns = [getattr(KpiValue, name) for name in VALUE_FIELDS]
    query = _in_years(select(*columns).where(KpiValue.kpi_id.in_(sorted(needed)), KpiValue.area_level == 2), years)
    rows = frame_from_rows(connection.execute(query).cursor.fetchall(), VALUE_FIELDS)
    rows["is_demo"] = rows["is_demo"].astype(bool)
    rows["is_preliminary"] = rows["is_preliminary"].astype(bool)
    rows["key"] = rows["fiscal_year"].astype("int64") * 100 + rows["period_no"].astype("int64")
    finer = sorted(k for k in needed if kpis[k].finest_level != "province")
    if finer:
        rows = _with_provinces_from_districts(connection, rows, kpis, finer, years)
    return rows


def _insert_rollups(connection: Connection, result: pd.DataFrame) -> None:
    """The roll-up rows into `kpi_rollup`, flags as 0/1 on SQLite."""
    flags_as_int = connection.dialect.name != "postgresql"
    flag = (
        (lambda series: series.astype(int).tolist()) if flags_as_int else (lambda series: series.astype(bool).tolist())
    )
    records = zip(
        result["kpi_id"].tolist(),
        result["area_code"].tolist(),
        result["period_type"].tolist(),
        result["fiscal_year"].astype(int).tolist(),
        result["period_no"].astype(int).tolist(),
        result["value"].astype(float).tolist(),
        result["coverage"].astype(float).tolist(),
        flag(result["is_demo"]),
        flag(result["is_preliminary"]),
    )
    insert_rows(connection, KpiRollup.__table__, ROLLUP_COLUMNS, records)
