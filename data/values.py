"""Import a file of KPI values: check it whole, then write it in one logged transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from data.areas import area_index
from data.catalog import Catalog
from data.store import file_sha256, logged_import
from data.values_import import Progress, parse_values_file
from data.values_store import write_values


def import_values_file(engine: Engine, path: Path | str, catalog: Catalog, imported_by: str,
                       progress: Progress | None = None, sheet: str | None = None) -> dict:
    """Check `path` (CSV or XLSX) and merge its values into the store; return the counts.

    The counts are those of the `import_log` row: `import_id`, `rows_read`, `inserted`,
    `revised`, `unchanged`, `message`. A file with any bad row raises ValueImportError,
    leaves a `failed` row in `import_log` and writes no value.
    """
    path = Path(path)
    sha256 = file_sha256(path) if path.is_file() else None
    with engine.connect() as connection:
        areas = area_index(connection)
    try:
        parsed = parse_values_file(path, catalog, areas, sheet=sheet, progress=progress)
    except Exception as error:  # a bad file (ValueImportError) or an unexpected failure: log it, re-raise
        with logged_import(engine, "values", path.name, imported_by, sha256) as (_, counts):
            counts["rows_read"] = getattr(error, "rows_read", 0)
            raise
    with logged_import(engine, "values", path.name, imported_by, sha256) as (connection, counts):
        counts["rows_read"] = parsed.rows_read
        if progress:
            progress("write", 0, len(parsed.frame))
        written = write_values(connection, parsed.frame, counts["import_id"], imported_by, check_keys=False,
                               catalog=catalog)
        counts.update(written)
        if parsed.duplicates_dropped:
            counts["message"] = f"{parsed.duplicates_dropped} row(s) repeated another row exactly and were skipped"
        if progress:
            progress("write", len(parsed.frame), len(parsed.frame))
    return dict(counts)
