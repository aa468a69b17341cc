"""The staged values merged with the stored ones in a few statements of the caller's transaction:
rows equal to the current value stay as they are, changed rows move the current value into
`kpi_value_revision` and take the new one with revision + 1, new keys are inserted with revision 1.
A bulk load drops the secondary indexes (and on PostgreSQL the foreign keys) and rebuilds them after.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Connection,
    DateTime,
    Integer,
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.schema import AddConstraint, DropConstraint
from sqlalchemy.sql.elements import ColumnElement

from data.store.schema import VALUE_COLUMNS, KpiValue, KpiValueRevision
from data.store.value_stage import COMPARED_COLUMNS, KEY_COLUMNS, STAGE_TYPES

# what the merge reports it changed, for `value_status.count_changes`
INSERTED_COLUMNS = ["kpi_id", "area_level", "area_code", "period_type", "fiscal_year", "period_no", "is_demo"]
REVISED_COLUMNS = ["kpi_id", "area_code", "period_type", "fiscal_year", "period_no", "old_demo"]


def merge(
    connection: Connection,
    stage: Table,
    constants: dict[str, object],
    import_id: int | None,
    imported_by: str,
    imported_at: dt.datetime,
    store_empty: bool = False,
    track: bool = False,
) -> tuple[int, int, tuple[list, list]]:
    """Revise the keys whose value changed, insert the new keys; return (revised, inserted,
    changes). With `track`, changes = (the inserted rows, INSERTED_COLUMNS; the revised keys with
    their former demo flag, REVISED_COLUMNS), returned by the statements themselves (RETURNING),
    for `value_status.count_changes`; else two empty lists.

    `store_empty` (known to be so) skips the comparisons with current values.
    """
    stamp = {"import_id": import_id, "imported_by": imported_by, "imported_at": imported_at}
    if store_empty:
        revised, revised_rows = 0, []
    else:
        revised, revised_rows = _revise(connection, stage, constants, stamp, track)
    add = insert(KpiValue.__table__).from_select(
        [*VALUE_COLUMNS, "area_level", "revision", "import_id", "imported_by", "imported_at"],
        select(
            *(_new(stage, constants, name) for name in VALUE_COLUMNS),
            func.length(stage.c.area_code),
            literal(1, Integer),
            literal(import_id, Integer),
            literal(imported_by, String),
            literal(imported_at, DateTime(timezone=True)),
        )
        .select_from(stage)
        .where(true() if store_empty else ~exists().where(_same_key(stage))),
    )
    inserted_rows: list = []
    if track:
        current = KpiValue.__table__
        inserted_rows = connection.execute(add.returning(*(current.c[name] for name in INSERTED_COLUMNS))).all()
        inserted = len(inserted_rows)
    else:
        inserted = connection.execute(add.execution_options(preserve_rowcount=True)).rowcount
    return revised, inserted, (inserted_rows, revised_rows)


def _new(stage: Table, constants: dict[str, object], name: str) -> ColumnElement:
    """The new value of a column: staged, or the one value it holds throughout."""
    if name in stage.c:
        return stage.c[name]
    value = constants[name]
    return cast(null(), STAGE_TYPES[name]) if value is None else literal(value, STAGE_TYPES[name])


def _same_key(stage: Table) -> ColumnElement:
    """A current value and a staged row of the same key.

    area_level (the length of the code) leads the primary key after kpi_id: given, the key
    lookups use the primary key."""
    current = KpiValue.__table__
    return and_(
        current.c.area_level == func.length(stage.c.area_code),
        *(current.c[name] == stage.c[name] for name in KEY_COLUMNS),
    )


def _revise(
    connection: Connection, stage: Table, constants: dict[str, object], stamp: dict[str, object], track: bool
) -> tuple[int, list]:
    """Move the current values the staged rows change into `kpi_value_revision` and take the new
    ones with revision + 1; return the count (and with `track` the revised keys)."""
    current = KpiValue.__table__
    revisions = KpiValueRevision.__table__
    same_key = _same_key(stage)
    differs = or_(*(current.c[name].is_distinct_from(_new(stage, constants, name)) for name in COMPARED_COLUMNS))
    kept = [c.name for c in revisions.columns if c.name not in ("id", "superseded_by_import")]
    supersede = insert(revisions).from_select(
        [*kept, "superseded_by_import"],
        select(*(current.c[name] for name in kept), literal(stamp["import_id"], Integer))
        .select_from(current.join(stage, same_key))
        .where(differs),
    )
    revised_rows: list = []
    if track:
        revised_rows = connection.execute(
            supersede.returning(*(revisions.c[name] for name in REVISED_COLUMNS[:-1]), revisions.c.is_demo)
        ).all()
        revised = len(revised_rows)
    else:
        revised = connection.execute(supersede.execution_options(preserve_rowcount=True)).rowcount
    if revised:
        connection.execute(
            update(current)
            .where(same_key, differs)
            .values(
                **{name: _new(stage, constants, name) for name in COMPARED_COLUMNS},
                revision=current.c.revision + 1,
                **stamp,
            )
        )
    return revised, revised_rows


def counts_by_kpi(connection: Connection, stage: Table, import_id: int | None) -> dict[str, dict[str, int]]:
    """After the merge: per KPI, the staged keys now carrying this import (new: revision 1,
    revised: a later revision) and the rest (unchanged)."""
    current = KpiValue.__table__
    touched = current.c.import_id == import_id
    rows = connection.execute(
        select(
            stage.c.kpi_id,
            func.count(),
            func.sum(case((and_(touched, current.c.revision == 1), 1), else_=0)),
            func.sum(case((and_(touched, current.c.revision > 1), 1), else_=0)),
        )
        .select_from(stage.join(current, _same_key(stage)))
        .group_by(stage.c.kpi_id)
    ).all()
    return {
        kpi: {
            "inserted": int(new or 0),
            "revised": int(changed or 0),
            "unchanged": int(total) - int(new or 0) - int(changed or 0),
        }
        for kpi, total, new, changed in rows
    }


def drop_for_bulk_load(connection: Connection) -> None:
    """Drop the secondary indexes of `kpi_value` (and on PostgreSQL its foreign keys) before a bulk load."""
    table = KpiValue.__table__
    if connection.dialect.name == "postgresql":
        for constraint in table.foreign_key_constraints:
            connection.execute(DropConstraint(constraint))
    for index in table.indexes:
        index.drop(connection)


def restore_after_bulk_load(connection: Connection) -> None:
    """Rebuild what `drop_for_bulk_load` dropped, each in one pass over the table."""
    table = KpiValue.__table__
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for index in table.indexes:
        index.create(connection)
    if connection.dialect.name == "postgresql":
        for constraint in table.foreign_key_constraints:  # each checked by one query over the table
            connection.execute(AddConstraint(constraint))
        connection.exec_driver_sql(f"ANALYZE {table.name}")
