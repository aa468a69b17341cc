"""Scorecards, goal summaries, maps, cluster comparisons, series and data quality: what every
page, the wall and the ESR show, computed one way."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select

from data.query.cache import cached
from data.query.periods import as_of_date, judged_on, period_code, period_label
from data.query.reference import area, areas, cluster_code_of
from data.query.rows import _children_count, _fill_missing_from_children, _freshness, province_table
from data.query.scope import PUBLIC, Scope, UnknownKpi
from data.rules import scoring
from data.rules.catalog import KPI, AggregationMethod, Catalog, get_catalog
from data.rules.periods import Period
from data.store.frames import (
    LENGTH_OF_LEVEL,
    VALUE_FIELDS,
    latest_rows,
    period_key,
    read_rollups,
    read_values,
    score_rows,
    with_history,
)
from data.store.rollups import aggregate_rows
from data.store.schema import KpiValue


def _kpi_frame(catalog: Catalog, scope: Scope) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(
                kpi_id=k.id,
                goal=k.goal,
                name_th=k.name.th,
                name_en=k.name.en,
                unit_th=k.unit.th,
                unit_en=k.unit.en,
                direction=k.direction.value,
                scored=k.scored,
                weight=k.weight,
                decimals=k.decimals,
                frequency=k.frequency.value,
                kpi_period_type=period_code(k),
                finest_level=k.finest_level,
                owner_th=k.owner.th,
                owner_en=k.owner.en,
                source_th=k.source_agency.th,
                source_en=k.source_agency.en,
            )
            for k in scope.kpis(catalog)
        ]
    )


@cached
def scorecard(
    engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC, today: dt.date | None = None
) -> pd.DataFrame:
    """One row per KPI for an area: latest value by the period, target, score, status,
    achievement, change on the previous period and on a year earlier, trend, ranks (for a
    province), freshness and owner. KPIs without data are listed with status no_data."""
    result = _area_card(engine, area_code, period, scope, today)
    if area(engine, area_code).level == "province":
        ranks = province_table(engine, period, scope, today)
        ranks = ranks[ranks["area_code"] == area_code][
            [
                "kpi_id",
                "rank_cluster",
                "cluster_size",
                "rank_country",
                "country_size",
                "gap_to_best_cluster",
                "gap_to_best_country",
            ]
        ]
        result = result.merge(ranks, on="kpi_id", how="left")
    return result


@cached
def _area_card(
    engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC, today: dt.date | None = None
) -> pd.DataFrame:
    """The scorecard without ranks: what the area's own values say (data_quality needs no
    more, and ranks are the one part that reads every province)."""
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog)}
    here = area(engine, area_code)
    as_of = as_of_date(period, today)
    rows = _area_rows(engine, here, kpis, as_of)
    latest = score_rows(latest_rows(rows), kpis, catalog, _score_level(here.level))
    latest = with_history(latest, rows, kpis)
    result = _kpi_frame(catalog, scope).merge(latest.drop(columns=["key"], errors="ignore"), on="kpi_id", how="left")
    result["area_code"] = area_code
    result["status"] = result["status"].fillna(scoring.NO_DATA)
    result["trend_values"] = [v if isinstance(v, tuple) else () for v in result["trend_values"]]
    result["is_demo"] = result["is_demo"].fillna(False).astype(bool)
    result["is_aggregated"] = (
        result.get("is_aggregated", pd.Series(False, index=result.index)).fillna(False).astype(bool)
    )
    has_period = result["fiscal_year"].notna()
    result["freshness"] = scoring.MISSING
    if has_period.any():
        result.loc[has_period, "freshness"] = _freshness(result[has_period], kpis, judged_on(period, today))
    result["missing_parts"] = [()] * len(result)
    if here.level in ("country", "region", "cluster"):
        result["missing_parts"] = _uncomputable(engine, here, result, kpis, period, scope, today)
    return result


def _uncomputable(
    engine: Engine,
    here: pd.Series,
    card: pd.DataFrame,
    kpis: dict[str, KPI],
    period: Period | None,
    scope: Scope,
    today: dt.date | None,
) -> list[tuple[str, ...]]:
    """Per row of a cluster's, region's or the country's card: the KPIs a roll-up lacks (a ratio's
    numerator or denominator, a weighted mean's weights) where member provinces have values of
    the KPI but the roll-up could not be computed; () elsewhere. Pages and reports name them."""
    wanting = [
        k
        for k, value in zip(card["kpi_id"].tolist(), card["value"].tolist())
        if pd.isna(value) and kpis[k].aggregation.method in (AggregationMethod.ratio, AggregationMethod.weighted_mean)
    ]
    if not wanting:
        return [()] * len(card)
    table = areas(engine)
    members = set(table[(table.level == "province") & _member_mask(table, here)].code)
    provinces = province_table(engine, period, scope, today)
    provinces = provinces[provinces["area_code"].isin(members) & provinces["value"].notna()]
    reporting = provinces.groupby("kpi_id")["area_code"].apply(set).to_dict()
    gaps: dict[str, tuple[str, ...]] = {}
    for kpi_id in wanting:
        reported = reporting.get(kpi_id)
        if not reported:
            continue  # no member has it either: plain no data
        agg = kpis[kpi_id].aggregation
        parts = (
            [agg.weight_kpi]
            if agg.method is AggregationMethod.weighted_mean
            else [agg.numerator_kpi, agg.denominator_kpi]
        )
        # a part is lacking when the members reporting the KPI do not all report it
        lacking = tuple(part for part in parts if part and not reported <= reporting.get(part, set()))
        gaps[kpi_id] = lacking or tuple(p for p in parts if p)
    return [gaps.get(k, ()) for k in card["kpi_id"].tolist()]


def _score_level(level: str) -> str:
    return level if level in ("district", "subdistrict") else "province"


def _area_rows(engine: Engine, here: pd.Series, kpis: dict[str, KPI], as_of: dt.date) -> pd.DataFrame:
    """All rows of an area in the history window; aggregated from below where it has none."""
    table = areas(engine)
    level = here.level
    with engine.connect() as connection:
        if level in ("province", "district", "subdistrict"):
            rows = read_values(connection, list(kpis), area_codes=[here.code], as_of=as_of)
            if level != "subdistrict":
                child = "district" if level == "province" else "subdistrict"
                rows = _fill_missing_from_children(connection, rows, kpis, table.loc[[here.code]], child, as_of)
            return rows.assign(is_aggregated=rows.get("is_aggregated", False))
        # country, region, cluster: the roll-up of the member provinces
        return read_rollups(connection, list(kpis), here.code, as_of)


def _member_mask(table: pd.DataFrame, here: pd.Series) -> pd.Series:
    if here.level == "cluster":
        return table.cluster_code == here.code
    if here.level == "region":
        return table.region_code == here.code
    return pd.Series(True, index=table.index)


def _with_parts(kpis: dict[str, KPI]) -> set[str]:
    ids = set(kpis)
    for k in kpis.values():
        ids.update(
            p for p in (k.aggregation.weight_kpi, k.aggregation.numerator_kpi, k.aggregation.denominator_kpi) if p
        )
    return ids


@cached
def goal_summary(
    engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC, today: dt.date | None = None
) -> pd.DataFrame:
    """The six goal scores of an area (weighted, re-normalised, with coverage) and the overall
    score as goal "ALL", each with its status."""
    catalog = get_catalog()
    card = scorecard(engine, area_code, period, scope, today)
    goals = scoring.goal_scores_by_area(card[["kpi_id", "score"]].assign(area_code=area_code), scope.kpis(catalog))
    if goals.empty:  # no scored KPI in the viewer's scope: six empty goals and the overall
        goals = pd.DataFrame(
            columns=["area_code", "goal", "score", "coverage", "kpis_present", "kpis_scored", "missing"]
        )
    goals = scoring.with_overall(goals, catalog.status_rule)
    if not (goals["goal"] == "ALL").any():
        goals = pd.concat(
            [
                goals,
                pd.DataFrame(
                    [
                        dict(
                            area_code=area_code,
                            goal="ALL",
                            score=float("nan"),
                            coverage=0.0,
                            kpis_present=0,
                            kpis_scored=0,
                            missing=(),
                            status=scoring.NO_DATA,
                        )
                    ]
                ),
            ],
            ignore_index=True,
        )
    goals = goals.drop(columns="area_code").reset_index(drop=True)
    goals["is_demo"] = bool(card["is_demo"].any())
    return goals


@cached
def province_goal_scores(
    engine: Engine, period: Period | None = None, scope: Scope = PUBLIC, today: dt.date | None = None
) -> pd.DataFrame:
    """Goal scores (and the overall score, goal "ALL") of every province, with ranks in its
    cluster and in the country (among the provinces whose score rests on enough data: see
    `scoring.with_overall`), and the gap to the best province of its cluster."""
    catalog = get_catalog()
    table = province_table(engine, period, scope, today)
    goals = scoring.goal_scores_by_area(table[["area_code", "kpi_id", "score"]], scope.kpis(catalog))
    goals = scoring.with_overall(goals, catalog.status_rule)
    provinces = areas(engine)
    goals["cluster_code"] = goals["area_code"].map(provinces["cluster_code"])
    goals["name_th"] = goals["area_code"].map(provinces["name_th"])
    goals["name_en"] = goals["area_code"].map(provinces["name_en"])
    goals["ranked_score"] = scoring.ranked_score(goals)
    ranked = scoring.rank_within(goals, "ranked_score", 1.0, ["goal"], "country")
    return scoring.rank_within(ranked, "ranked_score", 1.0, ["goal", "cluster_code"], "cluster")


@cached
def map_values(
    engine: Engine,
    kpi_id: str,
    level: str = "province",
    parent: str | None = None,
    period: Period | None = None,
    scope: Scope = PUBLIC,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per area of `level` (inside `parent`, a province or district code): the KPI's
    latest value by the period, score and status. Areas without data are included with NaN."""
    catalog = get_catalog()
    kpi = _kpi(catalog, kpi_id)
    table = areas(engine)
    as_of = as_of_date(period, today)
    targets = table[table.level == level]
    if parent:
        targets = targets[targets.code.str.startswith(parent)]
    if level == "province":
        data = province_table(engine, period, scope, today)
        data = data[data.kpi_id == kpi_id]
    else:
        with engine.connect() as connection:
            rows = read_values(connection, [kpi_id], level=level, prefix=parent, as_of=as_of, latest_only=True)
        data = score_rows(rows, {kpi_id: kpi}, catalog, level)
    frame = (
        targets[["code", "name_th", "name_en"]]
        .rename(columns={"code": "area_code"})
        .merge(data.drop(columns=["name_th", "name_en"], errors="ignore"), on="area_code", how="left")
    )
    frame = frame[frame["area_code"].map(scope.allows_area).astype(bool)]
    frame["status"] = frame["status"].fillna(scoring.NO_DATA)
    frame["kpi_id"] = kpi_id
    return frame.reset_index(drop=True)


@cached
def cluster_comparison(
    engine: Engine,
    cluster_number: int,
    period: Period | None = None,
    scope: Scope = PUBLIC,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Provinces of a cluster × KPIs: value, score, status, rank in the cluster and gap to the
    cluster's best province."""
    code = cluster_code_of(engine, cluster_number)
    table = province_table(engine, period, scope, today)
    names = areas(engine)
    provinces = names[(names.level == "province") & (names.cluster_code == code)].code
    kpi_ids = [k.id for k in scope.kpis(get_catalog())]
    grid = pd.MultiIndex.from_product([sorted(provinces), kpi_ids], names=["area_code", "kpi_id"]).to_frame(index=False)
    members = grid.merge(table[table["cluster_code"] == code], on=["area_code", "kpi_id"], how="left")
    members["status"] = members["status"].fillna(scoring.NO_DATA)  # a member without data is listed, not dropped
    members["cluster_code"] = code
    members = members.assign(
        name_th=members["area_code"].map(names["name_th"]), name_en=members["area_code"].map(names["name_en"])
    )
    return members.merge(
        _kpi_frame(get_catalog(), scope)[
            ["kpi_id", "goal", "name_th", "name_en", "unit_th", "unit_en", "decimals", "direction", "weight"]
        ].rename(columns={"name_th": "kpi_name_th", "name_en": "kpi_name_en"}),
        on="kpi_id",
        how="left",
    ).reset_index(drop=True)


@cached
def series(engine: Engine, kpi_id: str, area_code: str, scope: Scope = PUBLIC) -> pd.DataFrame:
    """Every period of a KPI for an area, oldest first: value, target, score, status, flags."""
    catalog = get_catalog()
    kpi = _kpi(catalog, kpi_id)
    here = area(engine, area_code)
    if not scope.allows_area(area_code):
        return pd.DataFrame(columns=VALUE_FIELDS)
    with engine.connect() as connection:
        if here.level in ("province", "district", "subdistrict"):
            rows = read_values(connection, [kpi_id], area_codes=[area_code])
            if rows.empty and here.level != "subdistrict":
                child = "district" if here.level == "province" else "subdistrict"
                needed = _with_parts({kpi_id: kpi})
                children = read_values(connection, sorted(needed), level=child, prefix=area_code)
                parent_of = pd.Series(area_code, index=children["area_code"].unique())
                rows = aggregate_rows(
                    children, {kpi_id: kpi}, parent_of, _children_count(areas(engine).loc[[area_code]], child)
                )
        else:
            rows = read_rollups(connection, [kpi_id], area_code)
    rows = rows[rows["kpi_id"] == kpi_id].sort_values("key")
    scored = score_rows(rows.assign(area_code=area_code), {kpi_id: kpi}, catalog, _score_level(here.level))
    scored["label_th"] = [
        period_label(t, y, n, "th") for t, y, n in zip(scored.period_type, scored.fiscal_year, scored.period_no)
    ]
    scored["label_en"] = [
        period_label(t, y, n, "en") for t, y, n in zip(scored.period_type, scored.fiscal_year, scored.period_no)
    ]
    return scored.reset_index(drop=True)


@cached
def data_quality(
    engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC, today: dt.date | None = None
) -> pd.DataFrame:
    """Per KPI for an area: latest period, freshness (fresh / due / overdue / missing), last
    import, completeness (share of the area's sub-areas at the KPI's finest level reporting
    that period) and the owner — "ข้อมูลจริง / ตามจริง / ทำจริง"."""
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog)}
    card = _area_card(engine, area_code, period, scope, today)
    here = area(engine, area_code)
    completeness = _completeness(engine, here, card, kpis)
    out = card[
        [
            "kpi_id",
            "goal",
            "name_th",
            "name_en",
            "owner_th",
            "owner_en",
            "source_th",
            "source_en",
            "frequency",
            "period_type",
            "fiscal_year",
            "period_no",
            "freshness",
            "is_demo",
        ]
    ].copy()
    out["completeness"] = out["kpi_id"].map(completeness)
    if here.level in ("province", "district", "subdistrict"):
        where = [KpiValue.area_level == len(area_code), KpiValue.area_code == area_code]
    else:  # the latest import among the provinces, over the recent fiscal years
        table = areas(engine)
        members = table[(table.level == "province") & _member_mask(table, here)].code
        first_year = int(card["fiscal_year"].min()) if card["fiscal_year"].notna().any() else 0
        where = [KpiValue.area_level == 2, KpiValue.area_code.in_(list(members)), KpiValue.fiscal_year >= first_year]
    with engine.connect() as connection:
        last = dict(
            connection.execute(
                select(KpiValue.kpi_id, func.max(KpiValue.imported_at))
                .where(KpiValue.kpi_id.in_(list(kpis)), *where)
                .group_by(KpiValue.kpi_id)
            ).all()
        )
    out["last_imported_at"] = out["kpi_id"].map(last)
    return out


def _completeness(engine: Engine, here: pd.Series, card: pd.DataFrame, kpis: dict[str, KPI]) -> dict[str, float]:
    """Share of the area's sub-areas, at each KPI's finest level, that reported its latest period
    (for a cluster, region or the country: the share of member provinces).

    KPIs are counted in groups that share a level and a period, with the sub-areas listed, so
    every count is a set of full-key seeks rather than a scan of the sub-areas' history.
    """
    table = areas(engine)
    latest = card.dropna(subset=["fiscal_year"])
    result: dict[str, float] = {}
    aggregated = here.level not in ("province", "district", "subdistrict")
    groups: dict[tuple, list[str]] = {}
    for kpi_id, period_type, year, number in zip(
        latest["kpi_id"].tolist(),
        latest["period_type"].tolist(),
        latest["fiscal_year"].tolist(),
        latest["period_no"].tolist(),
    ):
        level = "province" if aggregated else kpis[kpi_id].finest_level
        if not aggregated and LENGTH_OF_LEVEL[level] <= LENGTH_OF_LEVEL[here.level]:
            result[kpi_id] = 1.0
            continue
        groups.setdefault((level, period_type, int(year), int(number)), []).append(kpi_id)
    universes: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for (level, period_type, year, number), kpi_ids in groups.items():
            if level not in universes:
                if aggregated:
                    members = table[(table.level == "province") & _member_mask(table, here)]
                else:
                    members = table[(table.level == level) & table.code.str.startswith(here.code)]
                universes[level] = members["code"].tolist()
            universe = universes[level]
            counts = dict(
                connection.execute(
                    select(KpiValue.kpi_id, func.count())
                    .where(
                        KpiValue.kpi_id.in_(kpi_ids),
                        KpiValue.area_level == LENGTH_OF_LEVEL[level],
                        KpiValue.area_code.in_(universe),
                        KpiValue.period_type == period_type,
                        KpiValue.fiscal_year == year,
                        KpiValue.period_no == number,
                    )
                    .group_by(KpiValue.kpi_id)
                ).all()
            )
            for kpi_id in kpi_ids:
                result[kpi_id] = counts.get(kpi_id, 0) / len(universe) if universe else 0.0
    return result


def _kpi(catalog: Catalog, kpi_id: str) -> KPI:
    found = catalog.by_id().get(kpi_id)
    if found is None:
        raise UnknownKpi(kpi_id)
    return found


@cached
def latest_periods(engine: Engine, area_code: str, scope: Scope = PUBLIC) -> pd.DataFrame:
    """The latest period with data per KPI for an area (all time)."""
    kpis = [k.id for k in scope.kpis(get_catalog())]
    with engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(
                select(KpiValue.kpi_id, KpiValue.period_type, func.max(period_key(KpiValue)))
                .where(KpiValue.area_code == area_code, KpiValue.kpi_id.in_(kpis))
                .group_by(KpiValue.kpi_id, KpiValue.period_type)
            ).all(),
            columns=["kpi_id", "period_type", "key"],
        )
    frame["fiscal_year"] = frame["key"] // 100
    frame["period_no"] = frame["key"] % 100
    return frame.drop(columns="key")
