"""The boundary table: write an import's shapes, read them back as GeoJSON for the maps.

The only module with SQL for boundaries. Geometries are GeoJSON text in EPSG:4326, one row
per area and detail ("full", "web", "overview"); see `data.store.schema.Boundary`.
"""

from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import Connection, delete, func, insert, or_, select

from data.store.schema import Area, Boundary

DETAILS = ("full", "web", "overview")
LEVELS = ("province", "district", "subdistrict")
_CHUNK = 500


def replace_boundaries(connection: Connection, rows: Iterable[dict], import_id: int | None) -> dict[str, int]:
    """Store `rows` (area_code, detail, geojson, min_x, min_y, max_x, max_y — or `bbox` as a
    4-tuple), first removing every detail of the areas they cover.

    Returns counts: `areas` written, of which `replaced` had a boundary before, and `rows`.
    """
    records = []
    for row in rows:
        record = dict(area_code=row["area_code"], detail=row["detail"], geojson=row["geojson"], import_id=import_id)
        if "bbox" in row:
            record["min_x"], record["min_y"], record["max_x"], record["max_y"] = row["bbox"]
        else:
            record.update({k: row[k] for k in ("min_x", "min_y", "max_x", "max_y")})
        if record["detail"] not in DETAILS:
            raise ValueError(f"unknown boundary detail {record['detail']!r}")
        records.append(record)
    codes = sorted({r["area_code"] for r in records})
    replaced = 0
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        replaced += connection.execute(
            select(func.count(func.distinct(Boundary.area_code))).where(Boundary.area_code.in_(chunk))
        ).scalar_one()
        connection.execute(delete(Boundary).where(Boundary.area_code.in_(chunk)))
    for start in range(0, len(records), _CHUNK):
        connection.execute(insert(Boundary), records[start : start + _CHUNK])
    return {"areas": len(codes), "replaced": replaced, "rows": len(records)}


def _within(parent_code: str):
    """Areas directly under `parent_code`, in its province, or two levels down
    (a region's provinces through its clusters)."""
    children = select(Area.code).where(Area.parent_code == parent_code).scalar_subquery()
    return or_(Area.parent_code == parent_code, Area.province_code == parent_code, Area.parent_code.in_(children))


def boundary_features(connection: Connection, level: str, detail: str = "web", parent_code: str | None = None) -> dict:
    """A GeoJSON FeatureCollection of the stored boundaries of `level`, optionally within
    `parent_code` (a province, district, cluster or region). Each feature's `id` is the
    area code, for Plotly's `locations`; `bbox` covers them all (absent when empty)."""
    if detail not in DETAILS:
        raise ValueError(f"unknown boundary detail {detail!r}; use one of {', '.join(DETAILS)}")
    query = (
        select(
            Area.code,
            Area.name_th,
            Area.name_en,
            Boundary.geojson,
            Boundary.min_x,
            Boundary.min_y,
            Boundary.max_x,
            Boundary.max_y,
        )
        .join(Boundary, Boundary.area_code == Area.code)
        .where(Area.level == level, Boundary.detail == detail)
        .order_by(Area.code)
    )
    if parent_code is not None:
        query = query.where(_within(parent_code))
    features = []
    bounds = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    for code, name_th, name_en, geojson, min_x, min_y, max_x, max_y in connection.execute(query):
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name_th": name_th, "name_en": name_en},
                "geometry": json.loads(geojson),
            }
        )
        bounds = [min(bounds[0], min_x), min(bounds[1], min_y), max(bounds[2], max_x), max(bounds[3], max_y)]
    collection: dict = {"type": "FeatureCollection", "features": features}
    if features:
        collection["bbox"] = bounds
    return collection


def boundary_counts(connection: Connection) -> dict[str, int]:
    """How many areas of each level have a stored boundary (0 for levels with none)."""
    query = (
        select(Area.level, func.count(func.distinct(Boundary.area_code)))
        .join(Boundary, Boundary.area_code == Area.code)
        .group_by(Area.level)
    )
    counts = {level: 0 for level in LEVELS}
    counts.update({level: count for level, count in connection.execute(query)})
    return counts
