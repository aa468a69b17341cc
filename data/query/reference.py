"""Areas, clusters, breadcrumbs and boundaries as the store holds them (reference data, cached
until the areas change)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from data.query.cache import cached, reference_cached
from data.query.scope import NotAllowed, Scope, UnknownArea, viewer_scope
from data.rules.areas import COUNTRY_CODE
from data.store.boundaries import boundary_counts, boundary_features
from data.store.frames import frame_from_rows
from data.store.schema import Area, Cluster


@reference_cached
def all_areas(engine: Engine) -> pd.DataFrame:
    """Every area: code, level, names, parent, province, cluster code (provinces and below), region.
    The query layer's own reference; pages read `areas`, which holds what the viewer may see."""
    columns = ["code", "level", "name_th", "name_en", "parent_code", "province_code"]
    with engine.connect() as connection:
        frame = frame_from_rows(
            connection.execute(select(*(getattr(Area, c) for c in columns))).cursor.fetchall(), columns
        )
    parent = pd.Series(frame["parent_code"].to_numpy(), index=frame["code"].to_numpy())
    provinces = frame["level"] == "province"
    province_parent = pd.Series(frame.loc[provinces, "parent_code"].to_numpy(), index=frame.loc[provinces, "code"])
    cluster = frame["province_code"].map(province_parent)
    cluster = cluster.where(frame["level"] != "cluster", frame["code"])
    frame["cluster_code"] = cluster.where(cluster.fillna("").str.startswith("C"), None)
    region = frame["cluster_code"].map(parent)
    frame["region_code"] = region.where(frame["level"] != "region", frame["code"])
    return frame.set_index("code", drop=False)


_visible: dict[tuple[int, Scope], tuple[pd.DataFrame, pd.DataFrame]] = {}


def areas(engine: Engine, scope: Scope | None = None) -> pd.DataFrame:
    """The areas the viewer may see (`Scope.allows_area`): those held, every area below them,
    and the roll-ups (country, regions, clusters) whose published figures are shown."""
    table = all_areas(engine)
    scope = viewer_scope(scope)
    if scope.everything:
        return table
    memo = _visible.get((id(table), scope))
    if memo is not None and memo[0] is table:
        return memo[1].copy(deep=False)
    rollup = ~table["code"].astype(str).str[:2].str.isdigit()
    visible = table[scope.holds_all(table["code"]) | (rollup & scope.rollups)]
    if len(_visible) > 256:
        _visible.clear()
    _visible[(id(table), scope)] = (table, visible)
    return visible.copy(deep=False)


def area(engine: Engine, code: str) -> pd.Series:
    """One area, or UnknownArea (the query layer's own lookup: no scope)."""
    table = all_areas(engine)
    if code not in table.index:
        raise UnknownArea(code)
    return table.loc[code]


def viewable_area(engine: Engine, code: str, scope: Scope | None = None) -> pd.Series:
    """One area whose page the viewer may open: UnknownArea when there is none, NotAllowed when
    it lies outside the viewer's scope. Every area page is of an area held; the country's page
    shows what the scope holds beside the country's published figures."""
    here = area(engine, code)
    scope = viewer_scope(scope)
    if not (scope.holds(code) or (code == COUNTRY_CODE and scope.rollups)):
        raise NotAllowed(code)
    return here


@reference_cached
def all_clusters(engine: Engine) -> pd.DataFrame:
    """The 18 clusters: number, code, names, region, head province, and member province codes."""
    table = all_areas(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Cluster.number,
                Cluster.area_code,
                Cluster.region_code,
                Cluster.head_province_code,
                Cluster.head_verified,
                Cluster.as_of,
            ).order_by(Cluster.number)
        ).all()
    frame = pd.DataFrame(
        rows, columns=["number", "code", "region_code", "head_province_code", "head_verified", "as_of"]
    )
    frame["name_th"] = frame.code.map(table.name_th)
    frame["name_en"] = frame.code.map(table.name_en)
    provinces = table[table.level == "province"]
    frame["provinces"] = frame.code.map(lambda c: tuple(sorted(provinces.code[provinces.parent_code == c])))
    return frame


def clusters(engine: Engine, scope: Scope | None = None) -> pd.DataFrame:
    """The clusters the viewer may see: those holding a province of the scope (or held whole),
    with only the member provinces the scope holds."""
    table = all_clusters(engine)
    scope = viewer_scope(scope)
    if scope.everything:
        return table
    table = table.assign(provinces=table["provinces"].map(lambda codes: tuple(c for c in codes if scope.holds(c))))
    return table[(table["provinces"].map(len) > 0) | table["code"].map(scope.holds)].reset_index(drop=True)


def cluster_code_of(engine: Engine, number: int) -> str:
    table = all_clusters(engine)
    match = table[table.number == number]
    if match.empty:
        raise UnknownArea(f"cluster {number}")
    return str(match.code.iloc[0])


def breadcrumb(engine: Engine, code: str) -> list[pd.Series]:
    """The chain country › (region ›) cluster › province › district › subdistrict down to `code`."""
    table = all_areas(engine)
    chain = [area(engine, code)]
    while isinstance(chain[-1].parent_code, str):  # the country's parent is missing (NaN)
        chain.append(table.loc[chain[-1].parent_code])
    return list(reversed(chain))


@cached
def boundaries(
    engine: Engine, level: str, detail: str = "web", parent_code: str | None = None, scope: Scope | None = None
) -> dict:
    """The stored boundaries of `level` (within `parent_code`) as a GeoJSON FeatureCollection,
    `id` = area code (`data.store.boundaries.boundary_features`); no features when none are imported."""
    with engine.connect() as connection:
        collection = boundary_features(connection, level, detail=detail, parent_code=parent_code)
    if not scope.everything:
        collection["features"] = [f for f in collection["features"] if scope.allows_area(f["id"])]
    return collection


def visible_features(geojson: dict, scope: Scope | None = None) -> dict:
    """`geojson` (a boundary collection or the app's tile grid) with only the areas the viewer may see."""
    scope = viewer_scope(scope)
    if scope.everything:
        return geojson
    return {**geojson, "features": [f for f in geojson.get("features", []) if scope.allows_area(str(f.get("id")))]}


@cached
def boundary_levels(engine: Engine) -> dict[str, int]:
    """How many areas of each level have a stored boundary."""
    with engine.connect() as connection:
        return boundary_counts(connection)
