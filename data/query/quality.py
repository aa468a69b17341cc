"""A KPI's series for an area, and an area's data quality (freshness, completeness, last
import) and latest periods: what the KPI page and the data page show beside the scorecard."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select

from data.query.cache import cached
from data.query.periods import period_label
from data.query.reference import all_areas, area
from data.query.rows import _children_count
from data.query.scope import Scope
from data.query.scores import _area_card, _kpi, _member_mask, _score_level
from data.rules.catalog import KPI, get_catalog
from data.rules.periods import Period
from data.store.frames import LENGTH_OF_LEVEL, VALUE_FIELDS, period_key, read_rollups, read_values, score_rows
from data.store.rollups import aggregate_rows
from data.store.schema import KpiValue


def _with_parts(kpis: dict[str, KPI]) -> set[str]:
    ids = set(kpis)
    for k in kpis.values():
        ids.update(
            p for p in (k.aggregation.weight_kpi, k.aggregation.numerator_kpi, k.aggregation.denominator_kpi) if p
        )
    return ids


@cached
def series(engine: Engine, kpi_id: str, area_code: str, scope: Scope | None = None) -> pd.DataFrame:
    """Every period of a KPI for an area, oldest first: value, target, score, status, flags."""
    catalog = get_catalog()
    kpi = _kpi(catalog, kpi_id)
    here = area(engine, area_code)
    scope.require(area_code)
    if not scope.shows_kpi(kpi, area_code):
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
                    children, {kpi_id: kpi}, parent_of, _children_count(all_areas(engine).loc[[area_code]], child)
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
    engine: Engine,
    area_code: str,
    period: Period | None = None,
    scope: Scope | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Per KPI for an area: latest period, freshness (fresh / due / overdue / missing), last
    import, completeness (share of the area's sub-areas at the KPI's finest level reporting
    that period) and the owner — "ข้อมูลจริง / ตามจริง / ทำจริง"."""
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog, area_code)}
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
        table = all_areas(engine)
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
    table = all_areas(engine)
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


@cached
def latest_periods(engine: Engine, area_code: str, scope: Scope | None = None) -> pd.DataFrame:
    """The latest period with data per KPI for an area (all time)."""
    scope.require(area_code)
    kpis = [k.id for k in scope.kpis(get_catalog(), area_code)]
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
