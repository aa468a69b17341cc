"""The `poc import-boundaries` and `poc import-values` commands: a file into the store, all of it or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from cli.progress import Progress
from cli.store import load_catalog, open_store
from settings import get_settings


@click.command("import-boundaries")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--level",
    type=click.Choice(["province", "district", "subdistrict"]),
    default=None,
    help="Level of the features (detected from the file when omitted).",
)
@click.option(
    "--trust-codes",
    is_flag=True,
    help="Import features matched by code even where their name is not the store's name for that code.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every feature's outcome to this CSV file (UTF-8, opens in Excel).",
)
@click.option(
    "--crs",
    default=None,
    metavar="EPSG:XXXX",
    help="Coordinate reference system of the file's coordinates, when it declares none or a wrong one.",
)
def import_boundaries_command(
    file: Path, level: str | None, trust_codes: bool, report_path: Path | None, crs: str | None
) -> None:
    """Import area boundaries from any file GDAL reads (GeoJSON, TopoJSON, GeoPackage, zipped Shapefile)."""
    from data.store.boundary_import import NothingMatched, import_boundaries
    from data.store.engine import STORE_ERRORS
    from geo.read import BoundaryFileError

    def write_report(report) -> None:
        if report_path is None:
            return
        try:
            rows = report.write_csv(report_path)
        except OSError as exc:
            raise click.ClickException(f"cannot write the report {report_path}: {exc}") from exc
        click.echo(f"report: {rows:,} features written to {report_path}", err=True)

    progress = Progress()
    try:
        report = import_boundaries(
            open_store(),
            file,
            level=level,
            imported_by=get_settings().imported_by,
            progress=progress,
            trust_codes=trust_codes,
            crs=crs,
        )
    except NothingMatched as exc:
        progress.close()
        if exc.report is not None:
            write_report(exc.report)
        raise click.ClickException(str(exc)) from exc
    except (BoundaryFileError, ValueError) as exc:
        progress.close()
        if report_path is not None:
            click.echo(f"no report written: {file.name} was refused before its features were matched", err=True)
        raise click.ClickException(str(exc)) from exc
    except STORE_ERRORS as exc:  # the store failed (locked, gone): the import log says "failed"
        raise click.ClickException(_store_failure(file.name, exc)) from exc
    except OSError as exc:  # the disk failed mid-import (full): rolled back, the import log says "failed"
        raise click.ClickException(_store_failure(file.name, exc)) from exc
    finally:
        progress.close()
    click.echo(report.summary(limit=20))
    write_report(report)


@click.command("import-values")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "map_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="YAML (column: kpi_id) or two-column CSV (column,kpi_id) naming the file's columns; a target "
    "may also be a column role such as area or period. Keep it beside the file to reuse each quarter.",
)
@click.option("--ignore-columns", default="", help="Comma-separated columns to leave out.")
@click.option(
    "--ignore-unknown-columns",
    is_flag=True,
    help="Leave out, with a warning, every column that is neither a KPI nor a known column.",
)
@click.option(
    "--years",
    type=click.Choice(["fiscal", "calendar"]),
    default=None,
    help="What bare years mean: Thai fiscal years (Oct-Sep), or calendar years (Jan-Dec, stored as "
    "the fiscal year holding nine of their months). Bare BE years default to fiscal; bare CE "
    "years are refused unless this is given.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse the file on any warning (values outside a KPI's typical range, implausible zeros).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check the file and print what would be written, per KPI; write "
    "nothing but a 'dry-run' row in the import log.",
)
@click.option("--sheet", default=None, help="The XLSX sheet to read (default: the first).")
def import_values_command(
    file: Path,
    map_file: Path | None,
    ignore_columns: str,
    ignore_unknown_columns: bool,
    years: str | None,
    strict: bool,
    dry_run: bool,
    sheet: str | None,
) -> None:
    """Import KPI values from a CSV or XLSX file (long or wide). One bad row stops the whole file."""
    from data.files.headers import header_key
    from data.files.values_file import ImportOptions, ValueImportError, default_year_rules
    from data.store.engine import STORE_ERRORS
    from data.store.imports import import_values_file

    options = ImportOptions(
        years=default_year_rules(calendar=years == "calendar", plain_ce=years or "refuse"),
        strict=strict,
        column_map=_column_map(map_file) if map_file else {},
        ignore=frozenset(header_key(c) for c in ignore_columns.split(",") if c.strip()),
        ignore_unknown=ignore_unknown_columns,
    )
    progress = Progress()
    try:
        counts = import_values_file(
            open_store(),
            file,
            load_catalog(),
            get_settings().imported_by,
            progress=progress,
            sheet=sheet,
            options=options,
            dry_run=dry_run,
        )
    except ValueImportError as exc:
        raise click.ClickException(str(exc)) from exc
    except STORE_ERRORS as exc:
        raise click.ClickException(_store_failure(file.name, exc)) from exc
    finally:
        progress.close()
    _echo_values_outcome(file.name, counts, dry_run)


def _echo_values_outcome(name: str, counts: dict, dry_run: bool) -> None:
    """The import's notes and first 200 warnings on stderr, then its counts (a dry run: per KPI too)."""
    for note in counts["notes"]:
        click.echo(f"note: {note}", err=True)
    for warning in counts["warnings"][:200]:
        click.echo(f"warning: {warning}", err=True)
    if len(counts["warnings"]) > 200:
        click.echo(f"... and {len(counts['warnings']) - 200} more warning(s)", err=True)
    verb = "would be" if dry_run else ""
    click.echo(
        f"{name}: {counts['rows_read']:,} rows read, {counts['inserted']:,} new, "
        f"{counts['revised']:,} revised, {counts['unchanged']:,} unchanged"
        + (f" {verb}" if dry_run else "")
        + (f", {len(counts['warnings']):,} warning(s)" if counts["warnings"] else "")
    )
    if dry_run:
        _echo_dry_run_by_kpi(counts)


def _echo_dry_run_by_kpi(counts: dict) -> None:
    """A dry run's table: what would be written per KPI, with the warnings naming it."""
    warned: dict[str, int] = {}
    for warning in counts["warnings"]:
        for kpi_id in counts["by_kpi"]:
            if f"{kpi_id!r}" in warning.reason:
                warned[kpi_id] = warned.get(kpi_id, 0) + 1
    click.echo(f"{'KPI':<34} {'new':>9} {'revised':>9} {'unchanged':>9} {'warnings':>9}")
    for kpi_id, kpi_counts in sorted(counts["by_kpi"].items()):
        click.echo(
            f"{kpi_id:<34} {kpi_counts['inserted']:>9,} {kpi_counts['revised']:>9,} "
            f"{kpi_counts['unchanged']:>9,} {warned.get(kpi_id, 0):>9,}"
        )
    click.echo("dry run: nothing was written (the import log has a 'dry-run' row)")


def _column_map(path: Path) -> dict[str, str]:
    """The --map file as {header_key(source column): target}: YAML mapping or two-column CSV."""
    import csv

    import yaml

    from data.files.headers import header_key

    try:
        pairs = _yaml_pairs(path) if path.suffix.lower() in (".yaml", ".yml") else _csv_pairs(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as exc:
        raise click.ClickException(f"{path.name}: cannot read the column map: {str(exc).splitlines()[0]}") from exc
    return {header_key(source): target.strip() for source, target in pairs}


def _yaml_pairs(path: Path) -> list[tuple[str, str]]:
    """A YAML column map's (column, target) pairs; refused unless a mapping of names."""
    import yaml

    loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise click.ClickException(f"{path.name}: a YAML mapping of column: kpi_id is needed")
    return [(str(k), v) for k, v in loaded.items()]


def _csv_pairs(path: Path) -> list[tuple[str, str]]:
    """A CSV column map's (column, target) pairs, its blank rows and header row left out; refused
    at the first row without exactly two cells."""
    import csv

    from data.files.headers import header_key

    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
    if rows and header_key(rows[0][0]) in ("column", "source", "sourcecolumn"):
        rows = rows[1:]
    if any(len(row) != 2 for row in rows):
        bad = next(i for i, row in enumerate(rows, start=1) if len(row) != 2)
        raise click.ClickException(f"{path.name}, row {bad}: two cells are needed: column,kpi_id")
    return [(row[0], row[1]) for row in rows]


def _store_failure(name: str, exc: Exception) -> str:
    """A store failure in words: locked (and how long it waited), or what the store said."""
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    notes = " ".join(getattr(exc, "__notes__", []))
    if "locked" in reason or "busy" in reason:
        reason = (
            f"the store is locked by another writer; waited {get_settings().import_lock_wait:g} s "
            "(POC_IMPORT_LOCK_WAIT). Try again when the other import has finished"
        )
    return f"{name}: nothing was imported: {reason}" + (f" ({notes})" if notes else "")
