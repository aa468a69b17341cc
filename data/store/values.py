"""Write KPI values set-based, keeping every superseded value; read a value's history.

This is the only module with SQL for values. `write_values` loads a frame into a temporary
staging table (COPY on PostgreSQL, one executemany on SQLite, `value_stage`) and merges it
with a few statements in the caller's transaction (`value_merge`): rows equal to the current
value stay as they are, changed rows move the current value into `kpi_value_revision` and take
the new one with revision + 1, new keys are inserted with revision 1. The counts of the data
page follow in the same transaction (`value_status`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, Table, and_, delete, func, select
from sqlalchemy.sql.elements import ColumnElement

from data.rules.catalog import Catalog
from data.rules.periods import Period
from data.store.schema import KpiStatus, KpiValue, KpiValueRevision, utcnow
from data.store.value_merge import (
    counts_by_kpi,
    drop_for_bulk_load,
    merge,
    restore_after_bulk_load,
)
from data.store.value_stage import normalised, staged
from data.store.value_status import (
    count_changes,
    moved_not_recounted,
    refresh_kpi_status,
)

BULK_MIN_ROWS = 200_000
POSTGRES_WORK_MEM = "64MB"
# A recount reads every value of the KPIs an import touched (~0.3-0.45 µs a value on the 2-core
# machine); moving the counts costs about one key seek per row the import wrote (~4 µs on SQLite,
# ~15 µs on PostgreSQL, measured with a 506,460-row quarter into 20 M values). Counts are moved
# when the rows are fewer than the values held over this ratio, else recounted.
RECOUNT_RATIO = 50


def write_values(
    connection: Connection,
    frame: pd.DataFrame,
    import_id: int | None,
    imported_by: str,
    imported_at: dt.datetime | None = None,
    check_keys: bool = True,
    catalog: Catalog | None = None,
    by_kpi: dict | None = None,
) -> dict[str, int]:
    """Merge `frame` (VALUE_COLUMNS, one row per key) into the store, in the caller's transaction.

    Returns dict(inserted=, revised=, unchanged=); a dict given as `by_kpi` is filled with the
    same counts per KPI (one more pass over the staged keys: for dry runs). Pass `check_keys=False` only for a frame
    already known to hold each key once (as `parse_values_file` guarantees). The roll-ups
    follow `catalog` (default: the app's), the one the file was checked against.
    """
    frame = normalised(frame, check_keys)
    if frame.empty:
        return {"inserted": 0, "revised": 0, "unchanged": 0}
    imported_at = imported_at or utcnow()
    stage, constants = staged(connection, frame)
    if connection.dialect.name == "postgresql":
        # hash joins of a large file against the current values fit in memory (this transaction only)
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{POSTGRES_WORK_MEM}'")
    existing = _existing_values(connection, len(frame))
    kpi_ids = set(frame["kpi_id"].unique())
    counted = _counts_to_move(connection, frame, kpi_ids, existing)
    bulk = existing is not None and len(frame) > existing
    if bulk:
        drop_for_bulk_load(connection)
    revised, inserted, changes = merge(
        connection,
        stage,
        constants,
        import_id,
        imported_by,
        imported_at,
        store_empty=existing == 0,
        track=bool(counted),
    )
    if bulk:
        restore_after_bulk_load(connection)
    if by_kpi is not None:
        by_kpi.update(counts_by_kpi(connection, stage, import_id))
    stage.drop(connection)
    if inserted or revised:  # the counts, and cluster, region and country values, follow in the same transaction
        _follow(connection, frame, kpi_ids, counted, changes, imported_at, catalog)
    return {"inserted": inserted, "revised": revised, "unchanged": len(frame) - inserted - revised}


def _counts_to_move(connection: Connection, frame: pd.DataFrame, kpi_ids: set[str], existing: int | None) -> set[str]:
    """The KPIs whose counts move by what the merge reports it changed, rather than being
    recounted (see `moved_not_recounted`)."""
    if existing == 0:  # an empty store counts nothing: drop counts a bare DELETE of values left behind
        connection.execute(delete(KpiStatus))
        return set()
    # KPIs already counted: their counts move by what the merge reports it changed (or are recounted)
    return moved_not_recounted(connection, frame, kpi_ids, RECOUNT_RATIO)


def _follow(
    connection: Connection,
    frame: pd.DataFrame,
    kpi_ids: set[str],
    counted: set[str],
    changes: tuple[list, list],
    imported_at: dt.datetime,
    catalog: Catalog | None,
) -> None:
    """After a merge that changed values: the data page's counts (recounted, or moved for
    `counted`) and the cluster, region and country roll-ups of the KPIs and fiscal years written."""
    refresh_kpi_status(connection, kpi_ids - counted, frame, imported_at)
    if counted:
        count_changes(connection, counted, changes, frame, imported_at)
    from data.rules.catalog import get_catalog
    from data.store.rollups import refresh_rollups

    refresh_rollups(
        connection,
        catalog or get_catalog(),
        set(frame["kpi_id"].unique()),
        set(frame["fiscal_year"].astype(int).unique()),
    )


def _existing_values(connection: Connection, rows: int) -> int | None:
    """How many values the store holds, counted only before a large load (None otherwise).

    A large load into a store holding fewer values than it brings is a bulk load: the
    secondary indexes (and on PostgreSQL the foreign keys, whose per-row checks cost more than
    the insert itself) are dropped and rebuilt in one pass afterwards, the bulk-loading advice
    of both databases. It all happens in the import's transaction, so a failure restores
    everything. On PostgreSQL this locks `kpi_value`, `kpi`, `area` and `import_log` until
    the import commits (seconds), which is acceptable for such first loads.
    """
    if rows < BULK_MIN_ROWS:
        return None
    return connection.execute(select(func.count()).select_from(KpiValue)).scalar_one()


def value_counts(connection: Connection) -> dict[str, int]:
    """How many current values and superseded revisions the store holds."""
    values = connection.execute(select(func.count()).select_from(KpiValue)).scalar_one()
    revisions = connection.execute(select(func.count()).select_from(KpiValueRevision)).scalar_one()
    return {"values": int(values), "revisions": int(revisions)}


def value_history(connection: Connection, kpi_id: str, area_code: str, period: Period) -> list[dict]:
    """The current value and every superseded one of a key, newest first.

    Each entry has `value`, `target`, `source`, the flags, `revision`, `import_id`,
    `imported_by`, `imported_at`, `current` (True for the value in force) and
    `superseded_by_import`.
    """
    fields = (
        "value",
        "target",
        "source",
        "is_preliminary",
        "is_revised",
        "is_demo",
        "revision",
        "import_id",
        "imported_by",
        "imported_at",
    )
    current = KpiValue.__table__
    revisions = KpiValueRevision.__table__

    def of_key(table: Table) -> ColumnElement:
        return and_(
            table.c.kpi_id == kpi_id,
            table.c.area_code == area_code,
            table.c.period_type == period.period_type,
            table.c.fiscal_year == period.fiscal_year,
            table.c.period_no == period.period_no,
        )

    history = [
        {**row._asdict(), "current": True, "superseded_by_import": None}
        for row in connection.execute(select(*(current.c[name] for name in fields)).where(of_key(current)))
    ]
    history += [
        {**row._asdict(), "current": False}
        for row in connection.execute(
            select(*(revisions.c[name] for name in fields), revisions.c.superseded_by_import)
            .where(of_key(revisions))
            .order_by(revisions.c.revision.desc(), revisions.c.id.desc())
        )
    ]
    return history
