"""The counts of the data page (`kpi_status`: values, areas, latest period, demo values per KPI)
kept in step with every write of values, in the same transaction.

A KPI that held no values is counted from the import's frame alone; one that held values is
recounted from the store, or, when the import brings few rows against what it holds, its counts
are moved by what the merge inserted and revised (`count_changes`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from data.store.bulk import insert_rows
from data.store.schema import KpiStatus, KpiValue
from data.store.value_merge import INSERTED_COLUMNS, REVISED_COLUMNS
from data.store.value_stage import KEY_COLUMNS, STAGE_TYPES

INSERTED_NAME = "kpi_value_inserted"


def refresh_kpi_status(
    connection: Connection,
    kpi_ids: set[str] | None = None,
    frame: pd.DataFrame | None = None,
    imported_at: dt.datetime | None = None,
) -> None:
    """Bring `kpi_status` up to date for `kpi_ids` (None: every KPI, counted from the store).

    With the import's `frame`: a KPI that held no values before (no status row) is counted from
    the frame alone, since all its rows are the frame's (a first load, the demo: no pass over
    the store); a KPI that held values is recounted from the store in two index-ordered passes
    (~0.2 s and ~0.5 s per million of its values on SQLite). An import does not recount those:
    `write_values` moves their counts by the rows its merge inserted and revised
    (`count_changes`)."""
    from data.store.frames import period_key

    status = KpiStatus.__table__
    if kpi_ids is None:
        recount = None
    else:
        recount = (
            set(connection.execute(select(status.c.kpi_id).where(status.c.kpi_id.in_(sorted(kpi_ids)))).scalars())
            if frame is not None
            else set(kpi_ids)
        )
        fresh = set(kpi_ids) - recount
        if fresh:
            _count_from_frame(connection, frame[frame["kpi_id"].isin(fresh)], imported_at)
        if not recount:
            return
    only = [] if recount is None else [KpiValue.kpi_id.in_(sorted(recount))]
    stale = delete(status)
    connection.execute(stale if recount is None else stale.where(status.c.kpi_id.in_(sorted(recount))))
    counts = (
        select(
            KpiValue.kpi_id,
            func.count(),
            func.max(period_key(KpiValue)),
            func.max(KpiValue.imported_at),
            func.sum(case((KpiValue.is_demo, 1), else_=0)),
        )
        .where(*only)
        .group_by(KpiValue.kpi_id)
    )
    connection.execute(
        insert(status).from_select(
            ["kpi_id", "values", "latest_key", "last_imported_at", "demo_values", "areas"],
            counts.add_columns(literal(0, Integer)),
        )
    )
    pairs = select(KpiValue.kpi_id, KpiValue.area_level, KpiValue.area_code).where(*only).distinct().subquery()
    for kpi_id, areas in connection.execute(select(pairs.c.kpi_id, func.count()).group_by(pairs.c.kpi_id)).all():
        connection.execute(update(status).where(status.c.kpi_id == kpi_id).values(areas=areas))


def _count_from_frame(connection: Connection, rows: pd.DataFrame, imported_at: dt.datetime | None) -> None:
    """The `kpi_status` rows of KPIs whose values are all in `rows` (they held none before)."""
    status = KpiStatus.__table__
    keys = rows["fiscal_year"].astype("int64") * 100 + rows["period_no"].astype("int64")
    counted = (
        rows.assign(key=keys, demo=rows["is_demo"].astype("int64"))
        .groupby("kpi_id")
        .agg(
            values=("key", "size"),
            areas=("area_code", "nunique"),
            latest_key=("key", "max"),
            demo_values=("demo", "sum"),
        )
    )
    connection.execute(
        insert(status),
        [
            {
                "kpi_id": kpi_id,
                "values": int(row.values),
                "areas": int(row.areas),
                "latest_key": int(row.latest_key),
                "last_imported_at": imported_at,
                "demo_values": int(row.demo_values),
            }
            for kpi_id, row in zip(counted.index, counted.itertuples(index=False))
        ],
    )


def moved_not_recounted(
    connection: Connection, frame: pd.DataFrame, kpi_ids: set[str], recount_ratio: float
) -> set[str]:
    """The KPIs of the import that already hold values and whose counts the import will move
    rather than recount: all of them when the import's rows for them are few against the values
    they hold (a province's quarter into a national store: 13,800 rows against 20 M values),
    none when it brings a large share (a national quarter). Few: the rows × `recount_ratio`
    (`values.RECOUNT_RATIO`) stay below the values held."""
    held = dict(
        connection.execute(
            select(KpiStatus.kpi_id, KpiStatus.values).where(KpiStatus.kpi_id.in_(sorted(kpi_ids)))
        ).all()
    )
    if not held:
        return set()
    rows = int(frame["kpi_id"].isin(list(held)).sum())
    return set(held) if rows * recount_ratio < sum(int(v or 0) for v in held.values()) else set()


def count_changes(
    connection: Connection, kpi_ids: set[str], changes: tuple[list, list], frame: pd.DataFrame, imported_at: dt.datetime
) -> None:
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
    demo = _demo_changes(inserted, revised, frame)
    touched = sorted(set(inserted["kpi_id"]) | set(revised["kpi_id"]))
    new_areas = _new_pairs(connection, inserted)
    status = KpiStatus.__table__
    held = {
        row.kpi_id: row
        for row in connection.execute(
            select(status.c.kpi_id, status.c.latest_key, status.c.last_imported_at).where(status.c.kpi_id.in_(touched))
        )
    }
    connection.execute(
        update(status)
        .where(status.c.kpi_id == bindparam("k"))
        .values(
            values=status.c["values"] + bindparam("added"),
            areas=status.c.areas + bindparam("new_areas"),
            latest_key=bindparam("latest"),
            last_imported_at=bindparam("stamp"),
            demo_values=status.c.demo_values + bindparam("demo"),
        ),
        _moves(inserted, demo, new_areas, held, touched, _utc(imported_at)),
    )


def _demo_changes(inserted: pd.DataFrame, revised: pd.DataFrame, frame: pd.DataFrame) -> pd.Series:
    """Per KPI, how the count of demo values moves: the inserted demo rows, and the revised rows
    whose demo flag changed (a revision keeps its key; only its demo flag can change)."""
    demo = inserted["is_demo"].astype(bool).astype("int64").groupby(inserted["kpi_id"]).sum()
    if len(revised):
        now_demo = frame.set_index(list(KEY_COLUMNS))["is_demo"].astype(bool)
        revised_keys = pd.MultiIndex.from_frame(
            revised[list(KEY_COLUMNS)].astype({"fiscal_year": "int64", "period_no": "int64"})
        )
        flips = now_demo.reindex(revised_keys).to_numpy().astype("int64") - revised["old_demo"].astype(
            bool
        ).to_numpy().astype("int64")
        demo = demo.add(pd.Series(flips, index=revised["kpi_id"].to_numpy()).groupby(level=0).sum(), fill_value=0)
    return demo


def _moves(
    inserted: pd.DataFrame,
    demo: pd.Series,
    new_areas: dict[str, int],
    held: dict,
    touched: list[str],
    stamp: dt.datetime,
) -> list[dict]:
    """Per touched KPI, what its counts move by: the rows added, the new areas and demo values,
    the latest period (the newer of the held and the newest inserted), and the import's moment
    unless a later one is held."""
    keys = inserted["fiscal_year"].astype("int64") * 100 + inserted["period_no"].astype("int64")
    added = inserted.groupby("kpi_id").size()
    newest = keys.groupby(inserted["kpi_id"]).max()
    rows = []
    for kpi_id in touched:
        before = held[kpi_id]
        latest = [int(k) for k in (before.latest_key, newest.get(kpi_id)) if k is not None and not pd.isna(k)]
        last = before.last_imported_at
        rows.append(
            {
                "k": kpi_id,
                "added": int(added.get(kpi_id, 0)),
                "new_areas": int(new_areas.get(kpi_id, 0)),
                "latest": max(latest) if latest else None,
                "stamp": stamp if last is None or _utc(last) < stamp else last,
                "demo": int(demo.get(kpi_id, 0)),
            }
        )
    return rows


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
    table = Table(
        INSERTED_NAME,
        MetaData(),
        *(Column(name, STAGE_TYPES.get(name, SmallInteger())) for name in key),
        PrimaryKeyConstraint(*key),
        prefixes=["TEMPORARY"],
    )
    table.drop(connection, checkfirst=True)
    table.create(connection)
    rows = inserted[key]
    insert_rows(
        connection,
        table,
        key,
        zip(
            rows["kpi_id"].tolist(),
            rows["area_level"].astype(int).tolist(),
            rows["area_code"].tolist(),
            rows["period_type"].tolist(),
            rows["fiscal_year"].astype(int).tolist(),
            rows["period_no"].astype(int).tolist(),
        ),
    )
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {INSERTED_NAME}")
    current = KpiValue.__table__
    pairs = select(table.c.kpi_id, table.c.area_level, table.c.area_code).distinct().subquery("pairs")
    older = (
        select(literal(1))
        .select_from(current)
        .where(
            current.c.kpi_id == pairs.c.kpi_id,
            current.c.area_level == pairs.c.area_level,
            current.c.area_code == pairs.c.area_code,
            ~exists().where(*(table.c[name] == current.c[name] for name in key)),
        )
    )
    counts = dict(
        connection.execute(select(pairs.c.kpi_id, func.count()).where(~exists(older)).group_by(pairs.c.kpi_id)).all()
    )
    table.drop(connection)
    return {kpi_id: int(count) for kpi_id, count in counts.items()}
