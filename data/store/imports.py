"""Import a file of KPI values: check it whole, then write it in one logged transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from data.files.values_file import ImportOptions, Progress, parse_values_file
from data.rules.catalog import Catalog
from data.store.areas import area_index
from data.store.setup import file_sha256, logged_import
from data.store.values import write_values


def import_values_file(
    engine: Engine,
    path: Path | str,
    catalog: Catalog,
    imported_by: str,
    progress: Progress | None = None,
    sheet: str | None = None,
    options: ImportOptions | None = None,
    dry_run: bool = False,
) -> dict:
    """Check `path` (CSV or XLSX) and merge its values into the store; return the counts.

    The counts are those of the `import_log` row: `import_id`, `rows_read`, `inserted`,
    `revised`, `unchanged`, `message`; with `warnings` (implausible values, imported unless
    `options.strict`) and `notes` (how the file was read). A file with any bad row raises
    ValueImportError, leaves a `failed` row in `import_log` and writes no value. With
    `dry_run`, nothing is written but a `dry-run` log row, and `by_kpi` says per KPI how many
    values would be new, revised and unchanged.
    """
    path = Path(path)
    sha256 = file_sha256(path) if path.is_file() else None
    areas = _area_index(engine)
    try:
        parsed = parse_values_file(path, catalog, areas, sheet=sheet, progress=progress, options=options)
    except Exception as error:  # a bad file (ValueImportError) or an unexpected failure: log it, re-raise
        with logged_import(engine, "values", path.name, imported_by, sha256) as (_, counts):
            counts["rows_read"] = getattr(error, "rows_read", 0)
            raise
    by_kpi: dict = {}
    with logged_import(engine, "values", path.name, imported_by, sha256, dry_run=dry_run) as (connection, counts):
        counts["rows_read"] = parsed.rows_read
        if progress:
            progress("write", 0, len(parsed.frame))
        written = write_values(
            connection,
            parsed.frame,
            counts["import_id"],
            imported_by,
            check_keys=False,
            catalog=catalog,
            by_kpi=by_kpi if dry_run else None,
        )
        counts.update(written)
        counts["message"] = summary_message(parsed, dry_run)
        if progress:
            progress("write", len(parsed.frame), len(parsed.frame))
    return {
        **counts,
        "warnings": parsed.warnings,
        "notes": parsed.notes,
        "by_kpi": by_kpi,
        "duplicates_dropped": parsed.duplicates_dropped,
    }


_indexes: dict[tuple[str, str], object] = {}


def _area_index(engine: Engine):
    """The areas to resolve names against, built once per store and reference version (only
    `poc init` changes them; building the index takes a quarter of a second)."""
    from data.query.cache import reference_version

    key = (engine.url.render_as_string(hide_password=True), reference_version(engine))
    index = _indexes.get(key)
    if index is None:
        with engine.connect() as connection:
            index = area_index(connection)
        _indexes.clear()
        _indexes[key] = index
    return index


def summary_message(parsed, dry_run: bool) -> str | None:
    """What the import log keeps beside the counts: a dry run, warnings, rows skipped, notes."""
    parts = ["dry run: nothing was written"] if dry_run else []
    if parsed.warnings:
        parts.append(f"{len(parsed.warnings)} warning(s): " + "; ".join(str(w) for w in parsed.warnings[:5]))
    if parsed.duplicates_dropped:
        parts.append(f"{parsed.duplicates_dropped} row(s) repeated another row exactly and were skipped")
    parts.extend(parsed.notes)
    return "\n".join(parts)[:20000] or None
