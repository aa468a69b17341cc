"""Areas, clusters, breadcrumbs and boundaries as the store holds them (reference data, cached
until the areas change)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from data.query.cache import cached, reference_cached
from data.query.scope import PUBLIC, Scope, UnknownArea
from data.store.boundaries import boundary_counts, boundary_features
from data.store.frames import frame_from_rows
from data.store.schema import Area, Cluster


@reference_cached
def areas(engine: Engine) -> pd.DataFrame:
    """Every area: code, level, names, parent, province, cluster code (provinces and below), region."""
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


def area(engine: Engine, code: str) -> pd.Series:
    """One area, or UnknownArea."""
    table = areas(engine)
    if code not in table.index:
        raise UnknownArea(code)
    return table.loc[code]


@reference_cached
def clusters(engine: Engine) -> pd.DataFrame:
    """The 18 clusters: number, code, names, region, head province, and member province codes."""
    table = areas(engine)
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


def cluster_code_of(engine: Engine, number: int) -> str:
    table = clusters(engine)
    match = table[table.number == number]
    if match.empty:
        raise UnknownArea(f"cluster {number}")
    return str(match.code.iloc[0])


def breadcrumb(engine: Engine, code: str) -> list[pd.Series]:
    """The chain country › (region ›) cluster › province › district › subdistrict down to `code`."""
    table = areas(engine)
    chain = [area(engine, code)]
    while isinstance(chain[-1].parent_code, str):  # the country's parent is missing (NaN)
        chain.append(table.loc[chain[-1].parent_code])
    return list(reversed(chain))


@cached
def boundaries(
    engine: Engine, level: str, detail: str = "web", parent_code: str | None = None, scope: Scope = PUBLIC
) -> dict:
    """The stored boundaries of `level` (within `parent_code`) as a GeoJSON FeatureCollection,
    `id` = area code (`data.store.boundaries.boundary_features`); no features when none are imported."""
    with engine.connect() as connection:
        collection = boundary_features(connection, level, detail=detail, parent_code=parent_code)
    if scope.province_codes is not None:
        collection["features"] = [f for f in collection["features"] if scope.allows_area(f["id"])]
    return collection


@cached
def boundary_levels(engine: Engine) -> dict[str, int]:
    """How many areas of each level have a stored boundary."""
    with engine.connect() as connection:
        return boundary_counts(connection)
