"""What the wall screen reads beyond a page: the area a screen is about, the provinces of a
cluster screen, and every district score of a province (its hotspots)."""

from __future__ import annotations

import pandas as pd

from data.query.choices import DISTRICT_LEVELS
from data.query.reference import all_areas, cluster_code_of, clusters
from data.query.scope import Engine, UnknownArea
from data.query.scores import map_values
from data.rules.areas import COUNTRY_CODE
from data.rules.catalog import get_catalog


def screen_area(engine: Engine, scope: str, code: str | None) -> dict:
    """The area a screen is about (scope province, cluster by number, or the country): code,
    level, names and cluster code; `UnknownArea` when there is none."""
    table = all_areas(engine)
    if scope == "province":
        if code not in table.index or table.loc[code, "level"] != "province":
            raise UnknownArea(code)
    elif scope == "cluster":
        if not str(code).isdigit():
            raise UnknownArea(code)
        code = cluster_code_of(engine, int(code))
    else:
        code = COUNTRY_CODE
    row = table.loc[code]
    cluster_code = row.get("cluster_code")
    return {
        "code": code,
        "level": row["level"],
        "name_th": row["name_th"],
        "name_en": row["name_en"],
        "cluster_code": cluster_code if isinstance(cluster_code, str) else None,
    }


def member_provinces(engine: Engine, area: dict) -> list[str] | None:
    """The provinces a cluster screen (or a province screen's map of its cluster) covers; None = all."""
    cluster_code = area["code"] if area["level"] == "cluster" else area.get("cluster_code")
    if not cluster_code:
        return None
    table = clusters(engine)
    match = table[table["code"] == cluster_code]
    return list(match["provinces"].iloc[0]) if not match.empty else None


def district_scores(engine: Engine, province_code: str, period=None, today=None) -> pd.DataFrame:
    """Every district score of a province: area_code, kpi_id, score, status of each scored KPI
    published by district or finer."""
    frames = [
        map_values(engine, k.id, "district", province_code, period, today=today)
        for k in get_catalog().kpis
        if k.scored and k.finest_level in DISTRICT_LEVELS
    ]
    columns = ["area_code", "kpi_id", "score", "status"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
