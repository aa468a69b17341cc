"""Write KPI values set-based, keeping every superseded value; read a value's history.

This is the only module with SQL for values. `write_values` loads a frame into a temporary
staging table (COPY on PostgreSQL, one executemany on SQLite) and merges it with a few
statements in the caller's transaction: rows equal to the current value stay as they are,
changed rows move the current value into `kpi_value_revision` and take the new one with
revision + 1, new keys are inserted with revision 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
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

from data.store.bulk import insert_rows
from data.rules.catalog import Catalog
from data.rules.periods import Period
from data.store.schema import VALUE_COLUMNS, KpiStatus, KpiValue, KpiValueRevision, utcnow

KEY_COLUMNS = ("kpi_id", "area_code", "period_type", "fiscal_year", "period_no")
COMPARED_COLUMNS = ("value", "target", "source", "is_preliminary", "is_revised", "is_demo")
FLAG_COLUMNS = ("is_preliminary", "is_revised", "is_demo")
STAGE_NAME = "kpi_value_stage"
STAGE_TYPES = {
    "kpi_id": String(64), "area_code": String(8), "period_type": String(1), "fiscal_year": SmallInteger(),
    "period_no": SmallInteger(), "value": Float(), "target": Float(), "source": String(200),
    "is_preliminary": Boolean(), "is_revised": Boolean(), "is_demo": Boolean(),
}
BULK_MIN_ROWS = 200_000
POSTGRES_WORK_MEM = "64MB"


def write_values(connection: Connection, frame: pd.DataFrame, import_id: int | None, imported_by: str,
                 imported_at: dt.datetime | None = None, check_keys: bool = True,
                 catalog: Catalog | None = None, by_kpi: dict | None = None) -> dict[str, int]:
    """Merge `frame` (VALUE_COLUMNS, one row per key) into the store, in the caller's transaction.

    Returns dict(inserted=, revised=, unchanged=); a dict given as `by_kpi` is filled with the
    same counts per KPI (one more pass over the staged keys: for dry runs). Pass `check_keys=False` only for a frame
    already known to hold each key once (as `parse_values_file` guarantees). The roll-ups
    follow `catalog` (default: the app's), the one the file was checked against.
    """
    frame = _normalised(frame, check_keys)
    if frame.empty:
        return {"inserted": 0, "revised": 0, "unchanged": 0}
    imported_at = imported_at or utcnow()
    # a column with one value throughout (no targets, no flags: the usual case) is not staged
    constants = _constant_columns(frame)
    stage = _stage_table([name for name in VALUE_COLUMNS if name not in constants])
    stage.drop(connection, checkfirst=True)
    stage.create(connection)
    _insert_rows(connection, stage, frame)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {stage.name}")
        # hash joins of a large file against the current values fit in memory (this transaction only)
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{POSTGRES_WORK_MEM}'")
    existing = _existing_values(connection, len(frame))
    kpi_ids = set(frame["kpi_id"].unique())
    if existing == 0:  # an empty store counts nothing: drop counts a bare DELETE of values left behind
        connection.execute(delete(KpiStatus))
        counted = set()
    else:  # KPIs already counted: their counts move by what the merge reports it changed (or are recounted)
        counted = _moved_not_recounted(connection, frame, kpi_ids)
    bulk = existing is not None and len(frame) > existing
    if bulk:
        _drop_for_bulk_load(connection)
    revised, inserted, changes = _merge(connection, stage, constants, import_id, imported_by, imported_at,
                                        store_empty=existing == 0, track=bool(counted))
    if bulk:
        _restore_after_bulk_load(connection)
    if by_kpi is not None:
        by_kpi.update(_counts_by_kpi(connection, stage, import_id))
    stage.drop(connection)
    if inserted or revised:  # the counts, and cluster, region and country values, follow in the same transaction
        refresh_kpi_status(connection, kpi_ids - counted, frame, imported_at)
        if counted:
            _count_changes(connection, counted, changes, frame, imported_at)
        from data.rules.catalog import get_catalog
        from data.store.rollups import refresh_rollups

        refresh_rollups(connection, catalog or get_catalog(), set(frame["kpi_id"].unique()),
                        set(frame["fiscal_year"].astype(int).unique()))
    return {"inserted": inserted, "revised": revised, "unchanged": len(frame) - inserted - revised}


def refresh_kpi_status(connection: Connection, kpi_ids: set[str] | None = None, frame: pd.DataFrame | None = None,
                       imported_at: dt.datetime | None = None) -> None:
    """Bring `kpi_status` up to date for `kpi_ids` (None: every KPI, counted from the store).

    With the import's `frame`: a KPI that held no values before (no status row) is counted from
    the frame alone, since all its rows are the frame's (a first load, the demo: no pass over
    the store); a KPI that held values is recounted from the store in two index-ordered passes
    (~0.2 s and ~0.5 s per million of its values on SQLite). An import does not recount those:
    `write_values` moves their counts by the rows its merge inserted and revised
    (`_count_changes`)."""
    from data.store.frames import period_key

    status = KpiStatus.__table__
    if kpi_ids is None:
        recount = None
    else:
        recount = set(connection.execute(select(status.c.kpi_id).where(status.c.kpi_id.in_(sorted(kpi_ids))))
                      .scalars()) if frame is not None else set(kpi_ids)
        fresh = set(kpi_ids) - recount
        if fresh:
            rows = frame[frame["kpi_id"].isin(fresh)]
            keys = rows["fiscal_year"].astype("int64") * 100 + rows["period_no"].astype("int64")
            counted = rows.assign(key=keys, demo=rows["is_demo"].astype("int64")).groupby("kpi_id").agg(
                values=("key", "size"), areas=("area_code", "nunique"), latest_key=("key", "max"),
                demo_values=("demo", "sum"))
            connection.execute(insert(status), [
                {"kpi_id": kpi_id, "values": int(row.values), "areas": int(row.areas),
                 "latest_key": int(row.latest_key), "last_imported_at": imported_at, "demo_values": int(row.demo_values)}
                for kpi_id, row in zip(counted.index, counted.itertuples(index=False))])
        if not recount:
            return
    only = [] if recount is None else [KpiValue.kpi_id.in_(sorted(recount))]
    stale = delete(status)
    connection.execute(stale if recount is None else stale.where(status.c.kpi_id.in_(sorted(recount))))
    counts = (select(KpiValue.kpi_id, func.count(), func.max(period_key(KpiValue)), func.max(KpiValue.imported_at),
                     func.sum(case((KpiValue.is_demo, 1), else_=0)))
              .where(*only).group_by(KpiValue.kpi_id))
    connection.execute(insert(status).from_select(
        ["kpi_id", "values", "latest_key", "last_imported_at", "demo_values", "areas"],
        counts.add_columns(literal(0, Integer))))
    pairs = select(KpiValue.kpi_id, KpiValue.area_level, KpiValue.area_code).where(*only).distinct().subquery()
    for kpi_id, areas in connection.execute(select(pairs.c.kpi_id, func.count()).group_by(pairs.c.kpi_id)).all():
        connection.execute(update(status).where(status.c.kpi_id == kpi_id).values(areas=areas))


INSERTED_NAME = "kpi_value_inserted"
INSERTED_COLUMNS = ["kpi_id", "area_level", "area_code", "period_type", "fiscal_year", "period_no", "is_demo"]
REVISED_COLUMNS = ["kpi_id", "area_code", "period_type", "fiscal_year", "period_no", "old_demo"]


# A recount reads every value of the KPIs an import touched (~0.3-0.45 µs a value on the 2-core
# machine); moving the counts costs about one key seek per row the import wrote (~4 µs on SQLite,
# ~15 µs on PostgreSQL, measured with a 506,460-row quarter into 20 M values). Counts are moved
# when the rows are fewer than the values held over this ratio, else recounted.
RECOUNT_RATIO = 50


def _moved_not_recounted(connection: Connection, frame: pd.DataFrame, kpi_ids: set[str]) -> set[str]:
    """The KPIs of the import that already hold values and whose counts the import will move
    rather than recount: all of them when the import's rows for them are few against the values
    they hold (a province's quarter into a national store: 13,800 rows against 20 M values),
    none when it brings a large share (a national quarter)."""
    held = dict(connection.execute(select(KpiStatus.kpi_id, KpiStatus.values)
                                   .where(KpiStatus.kpi_id.in_(sorted(kpi_ids)))).all())
    if not held:
        return set()
    rows = int(frame["kpi_id"].isin(list(held)).sum())
    return set(held) if rows * RECOUNT_RATIO < sum(int(v or 0) for v in held.values()) else set()


def _count_changes(connection: Connection, kpi_ids: set[str], changes: tuple[list, list], frame: pd.DataFrame,
                   imported_at: dt.datetime) -> None:
    """Move the counts of `kpi_ids` (KPIs that held values before this import) by what the merge
    changed: `changes` = (the inserted rows, INSERTED_COLUMNS; the revised keys with their former
    demo flag, REVISED_COLUMNS). Values and demo values follow the rows, the latest period the
    newest inserted one, and areas the (level, area) pairs that had no value before, found by one
    key seek per inserted pair. A provincial import into a national store touches a few thousand
    rows, where a recount reads every value of every KPI it touched (seconds at 20 M values)."""
    inserted = pd.DataFrame(changes[0], columns=INSERTED_COLUMNS)
    inserted = inserted[inserted["kpi_id"].isin(kpi_ids)]
    revised = pd.DataFrame(changes[1], columns=REVISED_COLUMNS)
    revised = revised[revised["kpi_id"].isin(kpi_ids)]
    if inserted.empty and revised.empty:
        return
    keys = inserted["fiscal_year"].astype("int64") * 100 + inserted["period_no"].astype("int64")
    added = inserted.groupby("kpi_id").size()
    newest = keys.groupby(inserted["kpi_id"]).max()
    demo = inserted["is_demo"].astype(bool).astype("int64").groupby(inserted["kpi_id"]).sum()
    if len(revised):  # a revision keeps its key; only its demo flag can change
        now_demo = frame.set_index(list(KEY_COLUMNS))["is_demo"].astype(bool)
        revised_keys = pd.MultiIndex.from_frame(revised[list(KEY_COLUMNS)].astype({"fiscal_year": "int64",
                                                                                 "period_no": "int64"}))
        flips = (now_demo.reindex(revised_keys).to_numpy().astype("int64")
                 - revised["old_demo"].astype(bool).to_numpy().astype("int64"))
        demo = demo.add(pd.Series(flips, index=revised["kpi_id"].to_numpy()).groupby(level=0).sum(), fill_value=0)
    touched = sorted(set(inserted["kpi_id"]) | set(revised["kpi_id"]))
    new_areas = _new_pairs(connection, inserted)
    status = KpiStatus.__table__
    held = {row.kpi_id: row for row in connection.execute(
        select(status.c.kpi_id, status.c.latest_key, status.c.last_imported_at).where(status.c.kpi_id.in_(touched)))}
    stamp = _utc(imported_at)
    rows = []
    for kpi_id in touched:
        before = held[kpi_id]
        latest = [int(k) for k in (before.latest_key, newest.get(kpi_id)) if k is not None and not pd.isna(k)]
        last = before.last_imported_at
        rows.append({"k": kpi_id, "added": int(added.get(kpi_id, 0)), "new_areas": int(new_areas.get(kpi_id, 0)),
                     "latest": max(latest) if latest else None,
                     "stamp": stamp if last is None or _utc(last) < stamp else last,
                     "demo": int(demo.get(kpi_id, 0))})
    connection.execute(
        update(status).where(status.c.kpi_id == bindparam("k")).values(
            values=status.c["values"] + bindparam("added"), areas=status.c.areas + bindparam("new_areas"),
            latest_key=bindparam("latest"), last_imported_at=bindparam("stamp"),
            demo_values=status.c.demo_values + bindparam("demo")),
        rows)


def _utc(moment: dt.datetime) -> dt.datetime:
    """A stored moment as an aware UTC datetime (SQLite gives them back without a zone)."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def _new_pairs(connection: Connection, inserted: pd.DataFrame) -> dict[str, int]:
    """Per KPI, the (level, area) pairs among `inserted` that hold no value but the ones this
    import inserted: a new area for the KPI. The inserted keys go to a temporary table; per pair
    one seek finds its first row, which is almost always an older period."""
    if inserted.empty:
        return {}
    key = INSERTED_COLUMNS[:-1]  # the value's key (without is_demo)
    table = Table(INSERTED_NAME, MetaData(), *(Column(name, STAGE_TYPES.get(name, SmallInteger())) for name in key),
                  PrimaryKeyConstraint(*key), prefixes=["TEMPORARY"])
    table.drop(connection, checkfirst=True)
    table.create(connection)
    rows = inserted[key]
    insert_rows(connection, table, key, zip(rows["kpi_id"].tolist(), rows["area_level"].astype(int).tolist(),
                                            rows["area_code"].tolist(), rows["period_type"].tolist(),
                                            rows["fiscal_year"].astype(int).tolist(),
                                            rows["period_no"].astype(int).tolist()))
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {INSERTED_NAME}")
    current = KpiValue.__table__
    pairs = select(table.c.kpi_id, table.c.area_level, table.c.area_code).distinct().subquery("pairs")
    older = (select(literal(1)).select_from(current)
             .where(current.c.kpi_id == pairs.c.kpi_id, current.c.area_level == pairs.c.area_level,
                    current.c.area_code == pairs.c.area_code,
                    ~exists().where(*(table.c[name] == current.c[name] for name in key))))
    counts = dict(connection.execute(
        select(pairs.c.kpi_id, func.count()).where(~exists(older)).group_by(pairs.c.kpi_id)).all())
    table.drop(connection)
    return {kpi_id: int(count) for kpi_id, count in counts.items()}


def _stage_table(columns: list[str]) -> Table:
    """The temporary staging table with the given value columns."""
    return Table(STAGE_NAME, MetaData(), *(Column(name, STAGE_TYPES[name]) for name in columns),
                 prefixes=["TEMPORARY"])


def _normalised(frame: pd.DataFrame, check_keys: bool) -> pd.DataFrame:
    """The value columns with the types the store expects (converting only what differs)."""
    missing = [column for column in VALUE_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"the values frame lacks the columns {', '.join(missing)}")
    numeric = {"fiscal_year": np.int64, "period_no": np.int64, "value": np.float64, "target": np.float64}
    columns = {}
    for name in VALUE_COLUMNS:
        column = frame[name]
        if name in FLAG_COLUMNS and column.dtype != np.bool_:
            column = column.fillna(False).astype(bool)
        elif name == "target" and column.dtype != np.float64:
            column = pd.to_numeric(column, errors="raise").astype(np.float64)
        elif name in numeric and column.dtype != numeric[name]:
            column = column.astype(numeric[name])
        elif name not in numeric and name not in FLAG_COLUMNS and column.dtype != object:
            column = column.astype(object)
        columns[name] = column.to_numpy()
    out = pd.DataFrame(columns, columns=list(VALUE_COLUMNS))
    if out["source"].isna().any():
        out["source"] = out["source"].where(out["source"].notna(), None)
    if out["value"].isna().any():
        raise ValueError("the values frame has rows without a value")
    if check_keys and out.duplicated(subset=list(KEY_COLUMNS)).any():
        raise ValueError("the values frame has two rows for the same KPI, area and period")
    return out


def _constant_columns(frame: pd.DataFrame) -> dict[str, object]:
    """Optional columns holding a single value in every row: no target, no source, one flag value."""
    constants: dict[str, object] = {}
    if frame["target"].isna().all():
        constants["target"] = None
    if frame["source"].isna().all():
        constants["source"] = None
    for name in FLAG_COLUMNS:
        flags = frame[name].to_numpy()
        if not flags.any():
            constants[name] = False
        elif flags.all():
            constants[name] = True
    return constants


def _stage_rows(frame: pd.DataFrame, columns: list[str], flags_as_int: bool) -> Iterator[tuple]:
    """The frame as tuples of plain Python values, None for a missing target.

    For sqlite3, booleans become 0/1: it binds exact int, float, str and None fast, and
    anything else through a slow adapter lookup.
    """
    lists = []
    for name in columns:
        series = frame[name]
        if series.dtype == np.bool_ and flags_as_int:
            lists.append(series.to_numpy().astype(np.int64).tolist())
        elif name == "target":
            lists.append([None if v != v else v for v in series.tolist()])
        else:
            lists.append(series.tolist())
    return zip(*lists)


def _insert_rows(connection: Connection, stage: Table, frame: pd.DataFrame) -> None:
    """The frame into the staging table: COPY on PostgreSQL, one executemany on SQLite."""
    columns = [column.name for column in stage.columns]
    flags_as_int = connection.dialect.name != "postgresql"
    insert_rows(connection, stage, columns, _stage_rows(frame, columns, flags_as_int=flags_as_int))


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


def _drop_for_bulk_load(connection: Connection) -> None:
    table = KpiValue.__table__
    if connection.dialect.name == "postgresql":
        for constraint in table.foreign_key_constraints:
            connection.execute(DropConstraint(constraint))
    for index in table.indexes:
        index.drop(connection)


def _restore_after_bulk_load(connection: Connection) -> None:
    table = KpiValue.__table__
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for index in table.indexes:
        index.create(connection)
    if connection.dialect.name == "postgresql":
        for constraint in table.foreign_key_constraints:  # each checked by one query over the table
            connection.execute(AddConstraint(constraint))
        connection.exec_driver_sql(f"ANALYZE {table.name}")


def _merge(connection: Connection, stage: Table, constants: dict[str, object], import_id: int | None,
           imported_by: str, imported_at: dt.datetime, store_empty: bool = False,
           track: bool = False) -> tuple[int, int, tuple[list, list]]:
    """Revise the keys whose value changed, insert the new keys; return (revised, inserted,
    changes). With `track`, changes = (the inserted rows, INSERTED_COLUMNS; the revised keys with
    their former demo flag, REVISED_COLUMNS), returned by the statements themselves (RETURNING),
    for `_count_changes`; else two empty lists.

    `store_empty` (known to be so) skips the comparisons with current values.
    """
    current = KpiValue.__table__

    def new(name: str) -> ColumnElement:
        if name in stage.c:
            return stage.c[name]
        value = constants[name]
        return cast(null(), STAGE_TYPES[name]) if value is None else literal(value, STAGE_TYPES[name])

    # area_level (the length of the code) leads the primary key after kpi_id: give it, so the
    # key lookups use the primary key
    same_key = and_(current.c.area_level == func.length(stage.c.area_code),
                    *(current.c[name] == stage.c[name] for name in KEY_COLUMNS))
    differs = or_(*(current.c[name].is_distinct_from(new(name)) for name in COMPARED_COLUMNS))
    kept = [c.name for c in KpiValueRevision.__table__.columns if c.name not in ("id", "superseded_by_import")]

    revisions = KpiValueRevision.__table__
    supersede = insert(revisions).from_select(
        [*kept, "superseded_by_import"],
        select(*(current.c[name] for name in kept), literal(import_id, Integer))
        .select_from(current.join(stage, same_key))
        .where(differs),
    )
    revised_rows: list = []
    if store_empty:
        revised = 0
    elif track:
        revised_rows = connection.execute(supersede.returning(
            *(revisions.c[name] for name in REVISED_COLUMNS[:-1]), revisions.c.is_demo)).all()
        revised = len(revised_rows)
    else:
        revised = connection.execute(supersede.execution_options(preserve_rowcount=True)).rowcount
    if revised:
        connection.execute(
            update(current)
            .where(same_key, differs)
            .values(
                **{name: new(name) for name in COMPARED_COLUMNS},
                revision=current.c.revision + 1,
                import_id=import_id,
                imported_by=imported_by,
                imported_at=imported_at,
            )
        )
    add = insert(current).from_select(
        [*VALUE_COLUMNS, "area_level", "revision", "import_id", "imported_by", "imported_at"],
        select(
            *(new(name) for name in VALUE_COLUMNS),
            func.length(stage.c.area_code),
            literal(1, Integer),
            literal(import_id, Integer),
            literal(imported_by, String),
            literal(imported_at, DateTime(timezone=True)),
        ).select_from(stage).where(true() if store_empty else ~exists().where(same_key)),
    )
    inserted_rows: list = []
    if track:
        inserted_rows = connection.execute(add.returning(*(current.c[name] for name in INSERTED_COLUMNS))).all()
        inserted = len(inserted_rows)
    else:
        inserted = connection.execute(add.execution_options(preserve_rowcount=True)).rowcount
    return revised, inserted, (inserted_rows, revised_rows)


def _counts_by_kpi(connection: Connection, stage: Table, import_id: int | None) -> dict[str, dict[str, int]]:
    """After the merge: per KPI, the staged keys now carrying this import (new: revision 1,
    revised: a later revision) and the rest (unchanged)."""
    current = KpiValue.__table__
    same_key = and_(current.c.area_level == func.length(stage.c.area_code),
                    *(current.c[name] == stage.c[name] for name in KEY_COLUMNS))
    touched = current.c.import_id == import_id
    rows = connection.execute(
        select(stage.c.kpi_id, func.count(),
               func.sum(case((and_(touched, current.c.revision == 1), 1), else_=0)),
               func.sum(case((and_(touched, current.c.revision > 1), 1), else_=0)))
        .select_from(stage.join(current, same_key)).group_by(stage.c.kpi_id)).all()
    return {kpi: {"inserted": int(new or 0), "revised": int(changed or 0),
                  "unchanged": int(total) - int(new or 0) - int(changed or 0)}
            for kpi, total, new, changed in rows}


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
    fields = ("value", "target", "source", "is_preliminary", "is_revised", "is_demo", "revision", "import_id",
              "imported_by", "imported_at")
    current = KpiValue.__table__
    revisions = KpiValueRevision.__table__

    def of_key(table: Table) -> ColumnElement:
        return and_(table.c.kpi_id == kpi_id, table.c.area_code == area_code,
                    table.c.period_type == period.period_type, table.c.fiscal_year == period.fiscal_year,
                    table.c.period_no == period.period_no)

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
