"""The store's copy of the administrative areas: load the reference areas and clusters into it,
and read them back as an index or a frame (the rules themselves live in `data.rules.areas`)."""

from __future__ import annotations

import hashlib

import geothai
from sqlalchemy import Connection, delete, insert, select

from data.rules.areas import AreaIndex, AreaRef, ClustersFile, cluster_code, reference_area_rows
from data.store.schema import Area, Cluster, Meta


def load_reference_areas(connection: Connection, clusters: ClustersFile) -> int:
    """Insert or update every area and the cluster table; return the number of areas.

    Areas are upserted (never deleted) so values and boundaries that point at them stay valid.
    """
    rows = reference_area_rows(clusters)
    existing = {code for (code,) in connection.execute(select(Area.code))}
    new_rows = [row for row in rows if row["code"] not in existing]
    # parents before children: rows are already in that order
    if new_rows:
        connection.execute(insert(Area), new_rows)
    for row in rows:
        if row["code"] in existing:
            connection.execute(
                Area.__table__.update()
                .where(Area.code == row["code"])
                .values(
                    level=row["level"],
                    name_th=row["name_th"],
                    name_en=row["name_en"],
                    parent_code=row["parent_code"],
                    province_code=row["province_code"],
                )
            )
    connection.execute(delete(Cluster))
    connection.execute(
        insert(Cluster),
        [
            dict(
                area_code=cluster_code(c.number),
                number=c.number,
                region_code=c.region,
                head_province_code=c.head,
                head_verified=c.head_verified,
                as_of=clusters.as_of,
            )
            for c in clusters.clusters
        ],
    )
    set_meta(connection, "clusters_as_of", clusters.as_of.isoformat())
    set_meta(connection, "clusters_source", clusters.source)
    set_meta(connection, "areas_source", f"geothai {geothai.DATA_VERSION}")
    # readers memoise areas and clusters under this (see data.query.cache.reference_cached); it moves
    # only when the areas or the cluster membership do, never with an import of values
    content = repr((rows, [c.model_dump() for c in clusters.clusters], clusters.as_of.isoformat()))
    set_meta(connection, "reference_version", hashlib.sha256(content.encode("utf-8")).hexdigest()[:16])
    return len(rows)


def set_meta(connection: Connection, key: str, value: str) -> None:
    connection.execute(delete(Meta).where(Meta.key == key))
    connection.execute(insert(Meta).values(key=key, value=value))


def area_index(connection: Connection) -> AreaIndex:
    """An index over the areas in the store (provinces, districts, subdistricts)."""
    rows = connection.execute(
        select(Area.code, Area.level, Area.name_th, Area.name_en, Area.parent_code, Area.province_code)
    )
    return AreaIndex([AreaRef(*row) for row in rows])


def area_frame(connection: Connection, levels: tuple[str, ...] = ("province", "district", "subdistrict")):
    """Areas of the given levels as a DataFrame (code, level, name_th, name_en, parent_code, province_code)."""
    import pandas as pd

    rows = connection.execute(
        select(Area.code, Area.level, Area.name_th, Area.name_en, Area.parent_code, Area.province_code)
        .where(Area.level.in_(levels))
        .order_by(Area.code)
    ).all()
    return pd.DataFrame(rows, columns=["code", "level", "name_th", "name_en", "parent_code", "province_code"])
