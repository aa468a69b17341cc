"""Scorecards, goal summaries, maps and cluster comparisons: what every page, the wall and the
ESR show, computed one way. A KPI's series and an area's data quality are in `data.query.quality`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from data.query.cache import cached
from data.query.periods import as_of_date, judged_on, period_code
from data.query.reference import all_areas, area, cluster_code_of
from data.query.rows import _fill_missing_from_children, _freshness, province_table
from data.query.scope import Scope, UnknownKpi
from data.rules import scoring
from data.rules.catalog import KPI, AggregationMethod, Catalog, get_catalog
from data.rules.periods import Period
from data.store.frames import latest_rows, read_rollups, read_values, score_rows, with_history


def _kpi_frame(catalog: Catalog, scope: Scope, area_code: str | None = None) -> pd.DataFrame:
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
            for k in scope.kpis(catalog, area_code)
        ]
    )


@cached
def scorecard(
    engine: Engine,
    area_code: str,
    period: Period | None = None,
    scope: Scope | None = None,
    today: dt.date | None = None,
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
    engine: Engine,
    area_code: str,
    period: Period | None = None,
    scope: Scope | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The scorecard without ranks: what the area's own values say (data_quality needs no
    more, and ranks are the one part that reads every province)."""
    here = area(engine, area_code)
    scope.require(area_code)
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog, area_code)}
    as_of = as_of_date(period, today)
    rows = _area_rows(engine, here, kpis, as_of)
    latest = score_rows(latest_rows(rows), kpis, catalog, _score_level(here.level))
    latest = with_history(latest, rows, kpis)
    result = _kpi_frame(catalog, scope, area_code).merge(
        latest.drop(columns=["key"], errors="ignore"), on="kpi_id", how="left"
    )
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
    table = all_areas(engine)
    members = set(table[(table.level == "province") & _member_mask(table, here)].code)
    provinces = province_table(engine, period, scope.kpi_view(), today)
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
    table = all_areas(engine)
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


@cached
def goal_summary(
    engine: Engine,
    area_code: str,
    period: Period | None = None,
    scope: Scope | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The six goal scores of an area (weighted, re-normalised, with coverage) and the overall
    score as goal "ALL", each with its status."""
    catalog = get_catalog()
    card = scorecard(engine, area_code, period, scope, today)
    goals = scoring.goal_scores_by_area(
        card[["kpi_id", "score"]].assign(area_code=area_code), scope.kpis(catalog, area_code)
    )
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
    engine: Engine, period: Period | None = None, scope: Scope | None = None, today: dt.date | None = None
) -> pd.DataFrame:
    """Goal scores (and the overall score, goal "ALL") of every province, with ranks in its
    cluster and in the country (among the provinces whose score rests on enough data: see
    `scoring.with_overall`), and the gap to the best province of its cluster."""
    if scope != scope.kpi_view():  # ranks are published figures: computed over every province
        full = province_goal_scores(engine, period, scope.kpi_view(), today)
        return full[scope.holds_all(full["area_code"])].reset_index(drop=True)
    catalog = get_catalog()
    table = province_table(engine, period, scope, today)
    goals = scoring.goal_scores_by_area(table[["area_code", "kpi_id", "score"]], scope.kpis(catalog))
    goals = scoring.with_overall(goals, catalog.status_rule)
    provinces = all_areas(engine)
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
    scope: Scope | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One row per area of `level` (inside `parent`, a province or district code): the KPI's
    latest value by the period, score and status. Areas without data are included with NaN."""
    catalog = get_catalog()
    kpi = _kpi(catalog, kpi_id)
    table = all_areas(engine)
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
    shown = scope.holds if kpi.restricted else scope.allows_area  # restricted: never in others' roll-ups
    frame = frame[frame["area_code"].map(shown).astype(bool)]
    if kpi.restricted and not scope.restricted:
        frame = frame.iloc[0:0]
    frame["status"] = frame["status"].fillna(scoring.NO_DATA)
    frame["kpi_id"] = kpi_id
    return frame.reset_index(drop=True)


@cached
def cluster_comparison(
    engine: Engine,
    cluster_number: int,
    period: Period | None = None,
    scope: Scope | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Provinces of a cluster × KPIs: value, score, status, rank in the cluster and gap to the
    cluster's best province."""
    code = cluster_code_of(engine, cluster_number)
    table = province_table(engine, period, scope, today)
    names = all_areas(engine)
    provinces = names[(names.level == "province") & (names.cluster_code == code)].code
    provinces = provinces[provinces.map(scope.holds).astype(bool)]  # members outside the scope are not listed
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


def _kpi(catalog: Catalog, kpi_id: str) -> KPI:
    found = catalog.by_id().get(kpi_id)
    if found is None:
        raise UnknownKpi(kpi_id)
    return found
