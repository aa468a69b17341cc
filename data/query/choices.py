"""Choices a page and a report (or a download) both make, made once here so they always agree:
the district map's headline KPI, whether what is shown holds demo values, and which areas a
KPI's distribution spans."""

from __future__ import annotations

import pandas as pd

from data.query.periods import resolve_period
from data.query.reference import all_areas
from data.query.scope import viewer_scope
from data.query.scores import map_values
from data.rules.catalog import KPI, Catalog, get_catalog
from data.store.engine import get_engine

DISTRICT_LEVELS = ("district", "subdistrict")  # a KPI published this fine can be mapped by district


def shown_kpi_ids(catalog: Catalog | None = None) -> frozenset[str]:
    """The ids of the catalog's KPIs the viewer may see (no restricted one for a role that may not)."""
    return frozenset(k.id for k in viewer_scope().kpis(catalog or get_catalog()))


def district_kpis(catalog: Catalog | None = None) -> list:
    """The catalog's KPIs published by district or finer that the viewer may see, in catalog order."""
    return [k for k in viewer_scope().kpis(catalog or get_catalog()) if k.finest_level in DISTRICT_LEVELS]


def headline_district_kpi(card: pd.DataFrame, catalog: Catalog | None = None) -> str | None:
    """The district map's KPI for a province: of the KPIs published by district, the one with the
    province's lowest score (ties broken by KPI id); the catalog's first one when none is scored;
    None when the catalog has none."""
    ids = [k.id for k in district_kpis(catalog)]
    if not ids:
        return None
    scored = card[card["kpi_id"].isin(ids) & card["score"].notna()] if not card.empty else card
    if scored.empty:
        return ids[0]
    return str(scored.sort_values(["score", "kpi_id"], kind="stable")["kpi_id"].iloc[0])


def shows_demo(*frames: pd.DataFrame | None) -> bool:
    """Whether any row of the frames shown is a demo value (the page's banner, the ESR's badge)."""
    for frame in frames:
        if frame is not None and not frame.empty and "is_demo" in frame:
            if frame["is_demo"].fillna(False).astype(bool).any():
                return True
    return False


def distribution_scope(kpi: KPI, area_code: str, table: pd.DataFrame) -> tuple[str, str | None]:
    """(level, parent) of the distribution: the districts of the area's province when the KPI
    is published by district and the area is a province or district, else the provinces."""
    if kpi.finest_level in DISTRICT_LEVELS and area_code in table.index:
        level = table.loc[area_code, "level"]
        if level == "province":
            return "district", area_code
        if level in DISTRICT_LEVELS:
            return "district", str(table.loc[area_code, "province_code"])
    return "province", None


def distribution(engine, kpi: KPI, area_code: str, requested) -> tuple[pd.DataFrame, str, str | None]:
    """The KPI across the provinces (or the province's districts) for the period `requested`
    (None: the latest), read by the one rule every view follows (`resolve_period`)."""
    level, parent = distribution_scope(kpi, area_code, all_areas(engine))
    period, today = resolve_period(engine, requested)
    return map_values(engine, kpi.id, level, parent, period, today=today), level, parent


def page_exists(kind: str, code: str) -> bool:
    """Whether /<kind>/<code> names something the dashboard has a page for (a province, district,
    cluster number or catalog KPI), by the query layer's cached reference data; False for an
    unknown code or a store that cannot answer (the page itself then says why)."""
    from data.query.reference import area, cluster_code_of

    try:
        if kind in ("province", "district"):
            return area(get_engine(), code).level == kind
        if kind == "cluster":
            return code.isdigit() and bool(cluster_code_of(get_engine(), int(code)))
        return kind == "kpi" and code in get_catalog().by_id()
    except Exception:  # UnknownArea, or a store that cannot answer: the page says why
        return False
