"""The `poc` command: set up the store, import boundaries and values (cli.imports), fill demo data,
serve, write an ESR."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cli.accounts import COMMANDS as ACCOUNT_COMMANDS
from cli.imports import import_boundaries_command, import_values_command
from cli.progress import Progress
from cli.store import load_catalog, open_store
from settings import get_settings


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
    catalog = load_catalog()
    try:
        counts = init_store(command_engine(), catalog, settings.clusters_path)
    except ClustersFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"store ready at {_safe_url(settings.database_url)}: {counts['areas']:,} areas, {counts['kpis']} KPIs")


poc.add_command(import_boundaries_command)
poc.add_command(import_values_command)
for _command in ACCOUNT_COMMANDS:
    poc.add_command(_command)


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

    engine = open_store()
    if if_empty:
        existing = stored_values(engine)
        if existing:
            click.echo(f"the store already holds {existing:,} values; demo data not added")
            return
    if replace:
        clear_values(engine)
    progress = Progress()
    try:
        counts = fill_demo(
            engine, load_catalog(), get_settings().imported_by, as_of=as_of.date() if as_of else None, progress=progress
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
    open_store().dispose()  # the workers open their own connections
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
    engine = open_store()
    load_catalog()
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
