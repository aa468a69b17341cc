"""Facts about the store: its meta keys, per-KPI status and the import log."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from data.query.cache import cached, store_errors
from data.query.scope import Scope, viewer_scope
from data.store.schema import ImportLog, Meta


@store_errors
def store_meta(engine: Engine) -> dict[str, str]:
    """Facts about the store: data version, as-of dates of areas, clusters and catalog."""
    with engine.connect() as connection:
        return {key: value for key, value in connection.execute(select(Meta.key, Meta.value))}


@cached
def data_status(engine: Engine) -> pd.DataFrame:
    """Per KPI: how many values and areas the store holds, the latest period, and when it was
    last imported (`kpi_status`, which every import keeps)."""
    from data.store.schema import KpiRow, KpiStatus

    query = (
        select(
            KpiRow.id,
            KpiRow.goal,
            KpiStatus.values,
            KpiStatus.areas,
            KpiStatus.latest_key,
            KpiStatus.last_imported_at,
            KpiStatus.demo_values,
        )
        .select_from(KpiRow)
        .join(KpiStatus, KpiStatus.kpi_id == KpiRow.id, isouter=True)
        .order_by(KpiRow.goal, KpiRow.id)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(query).all(),
            columns=["kpi_id", "goal", "values", "areas", "latest_key", "last_imported_at", "demo_values"],
        )
    for column in ("values", "areas", "demo_values"):
        frame[column] = frame[column].fillna(0).astype(int)
    latest = frame["latest_key"].astype("Int64")
    frame["latest_fiscal_year"] = latest // 100
    frame["latest_period_no"] = latest % 100
    return frame.drop(columns=["latest_key"])


@store_errors
def import_log(engine: Engine, limit: int = 20, scope: Scope | None = None) -> pd.DataFrame:
    """The latest imports, newest first. The log is the store's, not an area's (its files may hold
    every province): only a viewer of the whole country reads it; anyone else gets no rows."""
    columns = [
        "id",
        "kind",
        "source_name",
        "status",
        "rows_read",
        "inserted",
        "revised",
        "unchanged",
        "message",
        "imported_by",
        "started_at",
        "finished_at",
    ]
    if not viewer_scope(scope).everything:
        return pd.DataFrame(columns=columns)
    query = select(*(getattr(ImportLog, c) for c in columns)).order_by(ImportLog.id.desc()).limit(limit)
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).all(), columns=columns)
