"""The `poc` command: set up the store, import boundaries and values, fill demo data, serve."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from tqdm import tqdm

from settings import get_settings


class _Progress:
    """A `progress(step, done, total)` callback drawing one tqdm bar per step."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None
        self._step: str | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self._step:
            self.close()
            self._step = step
            self._bar = tqdm(
                total=total,
                desc=f"{step:<12}",
                unit="row" if total > 100 else "step",
                unit_scale=True,
                file=sys.stderr,
                leave=True,
            )
        assert self._bar is not None
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _engine():
    from data.store.engine import command_engine, pending_revision, schema_ready

    engine = command_engine()
    if not schema_ready(engine):
        raise click.ClickException("the store is not initialised: run `poc init` first")
    behind = pending_revision(engine)
    if behind:
        raise click.ClickException(
            f"the store's schema is at revision {behind[0]} and this version needs {behind[1]}: "
            "run `poc init` to upgrade it in place (values are kept)"
        )
    return engine


def _catalog():
    from data.rules.catalog import CatalogError, get_catalog

    try:
        return get_catalog()
    except CatalogError as exc:
        raise click.ClickException(f"the KPI catalog is not valid:\n{exc}") from exc


@click.group()
def poc() -> None:
    """Provincial Operation Center dashboard (ศูนย์ปฏิบัติการจังหวัด)."""


@poc.command()
def init() -> None:
    """Create or upgrade the store, then load areas, clusters and the KPI catalog."""
    from data.rules.areas import ClustersFileError
    from data.store.engine import command_engine
    from data.store.setup import init_store

    settings = get_settings()
    catalog = _catalog()
    try:
        counts = init_store(command_engine(), catalog, settings.clusters_path)
    except ClustersFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"store ready at {_safe_url(settings.database_url)}: {counts['areas']:,} areas, {counts['kpis']} KPIs")


@poc.command("import-boundaries")
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

    progress = _Progress()
    try:
        report = import_boundaries(
            _engine(),
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


@poc.command("import-values")
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
    progress = _Progress()
    try:
        counts = import_values_file(
            _engine(),
            file,
            _catalog(),
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
    for note in counts["notes"]:
        click.echo(f"note: {note}", err=True)
    for warning in counts["warnings"][:200]:
        click.echo(f"warning: {warning}", err=True)
    if len(counts["warnings"]) > 200:
        click.echo(f"... and {len(counts['warnings']) - 200} more warning(s)", err=True)
    verb = "would be" if dry_run else ""
    click.echo(
        f"{file.name}: {counts['rows_read']:,} rows read, {counts['inserted']:,} new, "
        f"{counts['revised']:,} revised, {counts['unchanged']:,} unchanged"
        + (f" {verb}" if dry_run else "")
        + (f", {len(counts['warnings']):,} warning(s)" if counts["warnings"] else "")
    )
    if dry_run:
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
        if path.suffix.lower() in (".yaml", ".yml"):
            loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
            if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
                raise click.ClickException(f"{path.name}: a YAML mapping of column: kpi_id is needed")
            pairs = [(str(k), v) for k, v in loaded.items()]
        else:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
            if rows and header_key(rows[0][0]) in ("column", "source", "sourcecolumn"):
                rows = rows[1:]
            if any(len(row) != 2 for row in rows):
                bad = next(i for i, row in enumerate(rows, start=1) if len(row) != 2)
                raise click.ClickException(f"{path.name}, row {bad}: two cells are needed: column,kpi_id")
            pairs = [(row[0], row[1]) for row in rows]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as exc:
        raise click.ClickException(f"{path.name}: cannot read the column map: {str(exc).splitlines()[0]}") from exc
    return {header_key(source): target.strip() for source, target in pairs}


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


@poc.command()
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date the demo data reaches (CE, default today).",
)
@click.option(
    "--replace/--keep",
    default=True,
    show_default=True,
    help="Remove existing values first (--keep adds demo values as revisions).",
)
@click.option("--if-empty", is_flag=True, help="Do nothing when the store already holds values.")
def demo(as_of: dt.datetime | None, replace: bool, if_empty: bool) -> None:
    """Fill the store with deterministic demo values for every KPI over five fiscal years."""
    from data.store.demo import fill_demo
    from data.store.setup import clear_values, stored_values

    engine = _engine()
    if if_empty:
        existing = stored_values(engine)
        if existing:
            click.echo(f"the store already holds {existing:,} values; demo data not added")
            return
    if replace:
        clear_values(engine)
    progress = _Progress()
    try:
        counts = fill_demo(
            engine, _catalog(), get_settings().imported_by, as_of=as_of.date() if as_of else None, progress=progress
        )
    finally:
        progress.close()
    click.echo(
        f"demo values for FY {counts['first_fiscal_year']}–{counts['last_fiscal_year']}: "
        f"{counts['rows_read']:,} rows ({counts['inserted']:,} new, {counts['revised']:,} revised)"
    )


@poc.command()
@click.option("--host", default=None, help="Address to bind (default POC_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default POC_PORT, 8050).")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes (default POC_WORKERS: the CPUs, 2 to 8).",
)
@click.option(
    "--threads", default=None, type=click.IntRange(1, 64), help="Threads per worker (default POC_THREADS, 4)."
)
@click.option(
    "--access-log",
    "access_log",
    default=None,
    type=click.Choice(["requests", "all", "off"]),
    help="Access log on stdout: requests (no static files), all, or off (default POC_ACCESS_LOG).",
)
@click.option(
    "--debug", is_flag=True, help="Dash's development server with hot reload, one process (not for production)."
)
def serve(
    host: str | None, port: int | None, workers: int | None, threads: int | None, access_log: str | None, debug: bool
) -> None:
    """Run the dashboard under gunicorn (Dash's development server with --debug)."""
    settings = get_settings()
    _engine().dispose()  # the workers open their own connections
    if debug:
        from app import create_app

        create_app().run(host=host or settings.host, port=port or settings.port, debug=True)
        return
    _serve_production(_serve_options(settings, host, port, workers, threads, access_log))


def _serve_options(settings, host, port, workers, threads, access_log):
    """`poc serve`'s options: the command line's, else the settings'."""
    from web.proxies import TrustedProxyError, parse_networks
    from web.serving import ServeOptions, default_workers

    try:
        trusted = tuple(str(network) for network in parse_networks(settings.trusted_proxies))
    except TrustedProxyError as exc:
        raise click.ClickException(str(exc)) from exc
    return ServeOptions(
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers or default_workers(),
        threads=threads or settings.threads,
        access_log=access_log or settings.access_log,
        trusted_proxies=trusted,
    )


def _serve_production(options) -> None:
    from web.serving import run

    click.echo(
        f"serving http://{options.bind()} with {options.workers} workers x {options.threads} threads "
        f"(gunicorn); access log: {options.access_log}",
        err=True,
    )
    run(options)


@poc.command()
@click.option("--province", "province", default=None, help="Province DOPA code (e.g. 50): the governor's ESR.")
@click.option("--cluster", "cluster", default=None, type=int, help="Cluster number 1-18: the cluster head's ESR.")
@click.option("--national", is_flag=True, help="The national roll-up.")
@click.option("--period", default=None, help="Fiscal year (2568) or quarter (2568Q2); default: as of today.")
@click.option(
    "--lang", "language", type=click.Choice(["th", "en"]), default=None, help="Language (default POC_LANGUAGE)."
)
@click.option("--note", default=None, help="Matters for the executive's decision, printed in a box after the summary.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write: .pdf (default) or .xlsx (the data behind the report). Default: named after scope and period.",
)
def esr(
    province: str | None,
    cluster: int | None,
    national: bool,
    period: str | None,
    language: str | None,
    note: str | None,
    output: Path | None,
) -> None:
    """Write an Executive Summary Report (ESR) as PDF, or its data as XLSX."""
    from data.query import UnknownArea
    from data.rules.periods import parse_period_param
    from reports.content import EsrRequest, NoDataForPeriod
    from reports.export import esr_pdf, esr_xlsx
    from reports.render import RenderError, close_renderer

    chosen = [kind for kind, given in (("province", province), ("cluster", cluster), ("national", national)) if given]
    if len(chosen) != 1:
        raise click.UsageError("choose exactly one of --province CODE, --cluster N or --national")
    try:
        selected = parse_period_param(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from exc
    code = province if chosen[0] == "province" else str(cluster) if chosen[0] == "cluster" else None
    request = EsrRequest(chosen[0], code, selected, language or get_settings().language, note)
    output = output or Path(request.file_stem() + ".pdf")
    engine = _engine()
    _catalog()
    try:
        data = esr_xlsx(engine, request) if output.suffix.lower() == ".xlsx" else esr_pdf(engine, request)
    except UnknownArea as exc:
        raise click.ClickException(f"no such {chosen[0]}: {exc}") from exc
    except NoDataForPeriod as exc:
        raise click.ClickException(f"--period {period}: {exc}") from exc
    except RenderError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        close_renderer()
    output.write_bytes(data)
    click.echo(f"{output}: {len(data) / 1024:,.0f} KB")


def _safe_url(url: str) -> str:
    from data.store.engine import safe_url

    return safe_url(url)


if __name__ == "__main__":
    poc()
