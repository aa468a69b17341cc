"""The query layer: named functions returning DataFrames, used by every view.

This is the only place views get data from. Functions take an engine (and, later, a viewer
scope) and never return ORM objects, so pages, the wall screen and reports agree.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from data.schema import ImportLog, KpiRow, KpiValue, Meta


def store_meta(engine: Engine) -> dict[str, str]:
    """Facts about the store: data version, as-of dates of areas, clusters and catalog."""
    with engine.connect() as connection:
        return {key: value for key, value in connection.execute(select(Meta.key, Meta.value))}


def data_status(engine: Engine) -> pd.DataFrame:
    """Per KPI: how many values and areas the store holds, the latest period, and when it was last imported."""
    query = (
        select(
            KpiRow.id.label("kpi_id"),
            KpiRow.goal,
            func.count(KpiValue.value).label("values"),
            func.count(func.distinct(KpiValue.area_code)).label("areas"),
            func.max(KpiValue.fiscal_year * 100 + KpiValue.period_no).label("latest_key"),
            func.max(KpiValue.imported_at).label("last_imported_at"),
            func.sum(func.cast(KpiValue.is_demo, KpiValue.revision.type)).label("demo_values"),
        )
        .select_from(KpiRow)
        .join(KpiValue, KpiValue.kpi_id == KpiRow.id, isouter=True)
        .group_by(KpiRow.id, KpiRow.goal)
        .order_by(KpiRow.goal, KpiRow.id)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(),
                             columns=["kpi_id", "goal", "values", "areas", "latest_key", "last_imported_at",
                                      "demo_values"])
    frame["demo_values"] = frame["demo_values"].fillna(0).astype(int)
    frame["latest_fiscal_year"] = (frame["latest_key"] // 100).astype("Int64")
    frame["latest_period_no"] = (frame["latest_key"] % 100).astype("Int64")
    return frame.drop(columns=["latest_key"])


def import_log(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """The latest imports, newest first."""
    columns = ["id", "kind", "source_name", "status", "rows_read", "inserted", "revised", "unchanged",
               "message", "imported_by", "started_at", "finished_at"]
    query = select(*(getattr(ImportLog, c) for c in columns)).order_by(ImportLog.id.desc()).limit(limit)
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).all(), columns=columns)
