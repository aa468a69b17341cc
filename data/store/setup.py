"""Set up a store and record what goes into it: migrations, reference areas, catalog, import log."""

from __future__ import annotations

import hashlib
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, Transaction, delete, func, insert, select, update

from data.rules.areas import load_clusters
from data.rules.catalog import Catalog
from data.rules.periods import PERIOD_TYPE_CODES
from data.store import engine as engine_module
from data.store.areas import load_reference_areas, set_meta
from data.store.schema import ImportLog, KpiRow, Meta, utcnow


def catalog_rows(catalog: Catalog) -> list[dict]:
    return [
        dict(
            id=kpi.id,
            goal=kpi.goal,
            name_th=kpi.name.th,
            name_en=kpi.name.en,
            direction=kpi.direction.value,
            period_type=PERIOD_TYPE_CODES[kpi.period_type.value],
            finest_level=kpi.finest_level,
            aggregation=kpi.aggregation.method.value,
            weight=kpi.weight,
            target=kpi.target,
            definition=kpi.model_dump_json(),
        )
        for kpi in catalog.kpis
    ]


def sync_catalog(connection: Connection, catalog: Catalog) -> int:
    """Make the `kpi` table match the catalog. KPIs removed from the file keep their row
    (their values stay readable) and are marked retired in `definition`."""
    rows = catalog_rows(catalog)
    existing = {kpi_id for (kpi_id,) in connection.execute(select(KpiRow.id))}
    for row in rows:
        if row["id"] in existing:
            connection.execute(update(KpiRow).where(KpiRow.id == row["id"]).values(**row))
        else:
            connection.execute(insert(KpiRow).values(**row))
    for retired in existing - {row["id"] for row in rows}:
        connection.execute(update(KpiRow).where(KpiRow.id == retired).values(weight=0))
    digest = hashlib.sha256("".join(r["definition"] for r in rows).encode()).hexdigest()
    set_meta(connection, "catalog_sha256", digest)
    set_meta(connection, "catalog_as_of", catalog.as_of.isoformat())
    return len(rows)


def init_store(engine: Engine, catalog: Catalog, clusters_path: Path | str) -> dict[str, int]:
    """Create or upgrade the schema, then load areas and the catalog, in one transaction each."""
    clusters = load_clusters(clusters_path)
    engine_module.upgrade(engine)
    with engine.begin() as connection:
        areas = load_reference_areas(connection, clusters)
        kpis = sync_catalog(connection, catalog)
    return {"areas": areas, "kpis": kpis}


def get_meta(connection: Connection) -> dict[str, str]:
    return {key: value for key, value in connection.execute(select(Meta.key, Meta.value))}


def file_sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# what an import fills in and its log row keeps
_LOGGED_COUNTS = ("rows_read", "inserted", "revised", "unchanged", "message")


@contextmanager
def logged_import(
    engine: Engine, kind: str, source_name: str, imported_by: str, sha256: str | None = None, dry_run: bool = False
) -> Iterator[tuple[Connection, dict]]:
    """One transaction for an import, with its row in `import_log`.

    Yields the connection and a dict the import fills (`rows_read`, `inserted`, `revised`,
    `unchanged`, `message`). If the body raises, everything it wrote is rolled back and a
    `failed` log row is written in a separate transaction, with the error as message (when even
    that cannot be written, for a store locked or full, the error says so). With `dry_run`, the
    body's writes are rolled back and only a `dry-run` log row with the counts is written.
    """
    connection, transaction, log_id = _start_import(engine, kind, source_name, imported_by, sha256)
    with connection:
        counts: dict = {
            "import_id": log_id,
            "rows_read": 0,
            "inserted": 0,
            "revised": 0,
            "unchanged": 0,
            "message": None,
        }
        try:
            yield connection, counts
            if dry_run:
                transaction.rollback()
                _log_dry_run(engine, kind, source_name, sha256, imported_by, counts)
                return
            _mark_done(connection, log_id, counts)
            transaction.commit()
            from data.query.cache import forget_version

            forget_version(engine)  # this process reads its own import at once; others within a second
        except BaseException as exc:
            try:
                transaction.rollback()
            except Exception:  # the connection itself is broken: nothing of it was committed
                pass
            _log_failure(engine, kind, source_name, sha256, imported_by, counts, exc)
            raise


def _start_import(
    engine: Engine, kind: str, source_name: str, imported_by: str, sha256: str | None
) -> tuple[Connection, Transaction, int]:
    """The import's connection, its open transaction and the id of its `running` log row; when
    the store cannot even start an import (locked, gone, full), the failure is logged and raised."""
    try:
        connection = engine.connect()
        transaction = connection.begin()
        log_id = connection.execute(
            insert(ImportLog).values(
                kind=kind,
                source_name=source_name,
                file_sha256=sha256,
                status="running",
                imported_by=imported_by,
                started_at=utcnow(),
            )
        ).inserted_primary_key[0]
    except Exception as exc:
        _log_failure(engine, kind, source_name, sha256, imported_by, {}, exc)
        raise
    return connection, transaction, log_id


def _log_row(engine: Engine, kind: str, source_name: str, sha256: str | None, imported_by: str, **fields) -> None:
    """One finished row of the import log (`fields`: its status, counts, message), in its own transaction."""
    with engine.begin() as log:
        log.execute(
            insert(ImportLog).values(
                kind=kind,
                source_name=source_name,
                file_sha256=sha256,
                imported_by=imported_by,
                started_at=utcnow(),
                finished_at=utcnow(),
                **fields,
            )
        )


def _log_dry_run(
    engine: Engine, kind: str, source_name: str, sha256: str | None, imported_by: str, counts: dict
) -> None:
    """The `dry-run` row of an import whose writes were rolled back, with its counts."""
    _log_row(engine, kind, source_name, sha256, imported_by, status="dry-run", **{k: counts[k] for k in _LOGGED_COUNTS})


def _mark_done(connection: Connection, log_id: int, counts: dict) -> None:
    """A new data version and the import's log row `ok` with its counts, in the import's transaction."""
    # readers key their caches on this, so every successful import invalidates them
    set_meta(connection, "data_version", f"{log_id}-{uuid.uuid4().hex[:12]}")
    connection.execute(
        update(ImportLog)
        .where(ImportLog.id == log_id)
        .values(status="ok", finished_at=utcnow(), **{k: counts[k] for k in _LOGGED_COUNTS})
    )


def _log_failure(
    engine: Engine, kind: str, source_name: str, sha256: str | None, imported_by: str, counts: dict, exc: BaseException
) -> None:
    """The `failed` row of an import, in its own transaction; if the store refuses even that,
    a note on the error says the import log could not record it."""
    try:
        _log_row(
            engine,
            kind,
            source_name,
            sha256,
            imported_by,
            status="failed",
            rows_read=counts.get("rows_read", 0),
            message=str(exc)[:20000],
        )
    except Exception as second:
        exc.add_note(f"the import log could not record this failure either: {str(second).splitlines()[0][:200]}")


def value_total(connection: Connection) -> int:
    """How many current KPI values the store holds."""
    from data.store.schema import KpiValue

    return connection.execute(select(func.count()).select_from(KpiValue)).scalar_one()


def reset_values(connection: Connection) -> None:
    """Remove every value and revision (used by `poc demo --replace`)."""
    from data.store.schema import KpiStatus, KpiValue, KpiValueRevision

    connection.execute(delete(KpiValueRevision))
    connection.execute(delete(KpiValue))
    connection.execute(delete(KpiStatus))


def stored_values(engine: Engine) -> int:
    """How many values the store holds (`poc demo --if-empty`)."""
    with engine.connect() as connection:
        return value_total(connection)


def clear_values(engine: Engine) -> None:
    """Remove every value, in one transaction (`poc demo --replace`)."""
    with engine.begin() as connection:
        reset_values(connection)
