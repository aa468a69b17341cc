"""The data-status page: every KPI with owner, frequency and its latest data ("ข้อมูลจริง / ตามจริง")."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.query import viewer_scope
from data.rules.catalog import Catalog
from data.rules.periods import Period
from layouts.components.scroll import scroll_box, scroll_region
from layouts.text.format import format_date, format_timestamp, tag
from layouts.text.i18n import FREQUENCIES, GOAL_NAMES, WORDS, format_number, pick, t
from layouts.text.thai_breaks import breakable_markup
from layouts.theme import GOAL_COLOURS
from layouts.views.page_parts import coverage_text

_OK_ICON, _FAIL_ICON = "bi-check-circle-fill text-success", "bi-x-octagon-fill text-danger"


def _goal_chip(goal: str) -> html.Span:
    return html.Span(goal, className="badge goal-chip", style={"backgroundColor": GOAL_COLOURS[goal]})


STATUS_COLUMNS = ("kpi", "owner", "frequency", "finest_level", "values", "areas", "latest_period", "last_import")
NUMBER_COLUMNS = ("values", "areas")


def _status_row(kpi, row, language: str) -> str:
    """One KPI's row (markup): name and unit, owner and source, frequency, finest level, how many
    values and areas the store holds, the latest period and the last import (greyed without data)."""
    has_data = row is not None and int(row["values"]) > 0
    latest = "–"
    if has_data:
        latest = Period(kpi_period_code(kpi), int(row["latest_fiscal_year"]), int(row["latest_period_no"])).label(
            language
        )
    cells = [
        tag(
            "td",
            tag("div", escape(kpi.name.get(language)), class_="kpi-name"),
            tag("div", escape(f"{t('unit', language)}: {kpi.unit.get(language)}"), class_="kpi-sub"),
        ),
        tag(
            "td",
            tag("div", escape(kpi.owner.get(language))),
            tag("div", escape(kpi.source_agency.get(language)), class_="kpi-sub"),
        ),
        tag("td", escape(pick(FREQUENCIES[kpi.frequency.value], language))),
        tag("td", escape(t(kpi.finest_level, language))),
        tag("td", escape(format_number(int(row["values"])) if has_data else t("no_data", language)), class_="num"),
        tag("td", escape(format_number(int(row["areas"])) if has_data else "–"), class_="num"),
        tag("td", escape(latest)),
        tag("td", escape(format_timestamp(row["last_imported_at"], language) if has_data else "–")),
    ]
    return tag("tr", *cells, class_=None if has_data else "table-secondary", data_kpi=kpi.id)


def _goal_section(goal: str, kpis: list, by_id: pd.DataFrame, language: str) -> str:
    """A goal's KPIs as a section that opens: its summary names the goal and how many of its KPIs
    have data; its table scrolls sideways in its box (a phone reads the summaries, then opens one)."""
    rows = [(kpi, by_id.loc[kpi.id] if kpi.id in by_id.index else None) for kpi in kpis]
    present = sum(1 for _, row in rows if row is not None and int(row["values"]) > 0)
    header = tag(
        "thead",
        tag(
            "tr",
            *(tag("th", escape(t(k, language)), class_="num" if k in NUMBER_COLUMNS else None) for k in STATUS_COLUMNS),
        ),
    )
    table = tag(
        "table",
        header,
        tag("tbody", *(_status_row(kpi, row, language) for kpi, row in rows)),
        class_="table table-sm table-hover bg-white mb-2 status-table",
    )
    summary = tag(
        "summary",
        tag("span", escape(goal), class_="badge goal-chip", style=f"background-color:{GOAL_COLOURS[goal]}"),
        tag("span", escape(pick(GOAL_NAMES[goal], language)), class_="ms-2 fw-semibold"),
        tag("span", escape(coverage_text(present, len(kpis), language)), class_="ms-2 small text-muted"),
    )
    label = f"{goal} {pick(GOAL_NAMES[goal], language)}"
    # open, as a desk reads it whole; a phone folds them (assets/navigation.js), one goal at a time
    return tag("details", summary, scroll_box(table, label), class_="goal-section", id=f"status-{goal}", open=True)


def _kpi_table(catalog: Catalog, status: pd.DataFrame, language: str) -> dcc.Markdown:
    """Every KPI of the catalog, by goal, each goal a section that opens (one block of markup:
    ~100 rows of components would make the page slow to draw)."""
    by_id = status.set_index("kpi_id")
    sections = [_goal_section(goal, catalog.for_goal(goal), by_id, language) for goal in GOAL_NAMES]
    return dcc.Markdown(
        breakable_markup("".join(sections)), dangerously_allow_html=True, id="kpi-status-table", className="mb-2"
    )


def kpi_period_code(kpi) -> str:
    return {"year": "Y", "quarter": "Q", "month": "M"}[kpi.period_type.value]


_DEMO_LABEL = re.compile(r"^demo FY(\d{4})-(\d{4}) as of (\d{4}-\d{2}-\d{2})$")


def import_word(prefix: str, value, language: str) -> str:
    """An import log's kind or status in the reader's language; one the UI has no word for as stored."""
    key = f"{prefix}_{value}"
    return t(key, language) if key in WORDS else str(value or "–")


def source_text(kind: str, source_name, language: str) -> str:
    """The import's file name as stored; a demo's label ("demo FY2566-2570 as of 2026-11-21") in
    the reader's language and calendar."""
    match = _DEMO_LABEL.match(str(source_name or "")) if kind == "demo" else None
    if match is None:
        return str(source_name or "–")
    first, last = (Period.year(int(match.group(n))) for n in (1, 2))
    day = format_date(dt.date.fromisoformat(match.group(3)), language)
    if language == "en":
        return t("demo_source", language).format(first=first.label_en, last=str(last.fiscal_year_ce), day=day)
    return t("demo_source", language).format(first=first.label_th, last=last.fiscal_year, day=day)


def iso_date_text(value, language: str) -> str:
    """A stored ISO date ("2026-10-01") as the reader's calendar writes it; anything else as stored."""
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]), language)
    except ValueError:
        return str(value or "–")


def _imports_table(imports: pd.DataFrame, language: str) -> html.Div:
    if imports.empty:
        shown = "none_yet" if viewer_scope().everything else "import_log_country_only"
        return html.P(t(shown, language), className="text-muted")
    header = html.Thead(
        html.Tr(
            [
                html.Th(t(k, language), className="num" if k in ("rows", "new", "revised", "unchanged") else None)
                for k in ("when", "kind", "file", "status", "rows", "new", "revised", "unchanged", "by")
            ]
        )
    )
    body = []
    for record in imports.itertuples():
        ok = record.status == "ok"
        body.append(
            html.Tr(
                [
                    html.Td(format_timestamp(record.started_at, language)),
                    html.Td(import_word("import_kind", record.kind, language)),
                    html.Td(
                        source_text(record.kind, record.source_name, language),
                        title="" if record.kind == "demo" else record.message or "",
                    ),
                    html.Td(
                        [
                            html.I(className=f"bi {_OK_ICON if ok else _FAIL_ICON} me-1"),
                            import_word("import_status", record.status, language),
                        ]
                    ),
                    html.Td(format_number(record.rows_read), className="num"),
                    html.Td(format_number(record.inserted), className="num"),
                    html.Td(format_number(record.revised), className="num"),
                    html.Td(format_number(record.unchanged), className="num"),
                    html.Td(record.imported_by),
                ]
            )
        )
    table = dbc.Table([header, html.Tbody(body)], size="sm", className="bg-white mb-0", id="import-table")
    return scroll_region(table, t("imports", language))


def create_data_status(
    catalog: Catalog,
    status: pd.DataFrame,
    imports: pd.DataFrame,
    meta: dict[str, str],
    boundaries: dict[str, int],
    language: str,
) -> html.Div:
    """The whole page body."""
    total = int(status["values"].sum()) if not status.empty else 0
    facts = [
        (t("catalog_as_of", language), iso_date_text(meta.get("catalog_as_of", "–"), language)),
        (t("clusters_as_of", language), iso_date_text(meta.get("clusters_as_of", "–"), language)),
        (t("areas_source", language), meta.get("areas_source", "–")),
        (
            t("boundaries", language),
            ", ".join(f"{t(level, language)} {format_number(n)}" for level, n in boundaries.items() if n)
            or t("none_yet", language),
        ),
    ]
    goal_counts = [
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(_goal_chip(goal)),
                        html.Div(pick(GOAL_NAMES[goal], language), className="small mt-1", style={"minHeight": "3em"}),
                        html.Div(f"{len(catalog.for_goal(goal))} {t('kpi', language)}", className="fw-semibold"),
                    ]
                )
            ),
            md=2,
            sm=4,
            xs=6,
            className="mb-2",
        )
        for goal in GOAL_NAMES
    ]
    return html.Div(
        [
            html.H1(t("data_status", language), className="h4"),
            html.P(t("data_status_lead", language), className="text-muted"),
            dbc.Alert(t("empty_store", language), color="info") if total == 0 else None,
            dbc.Row(goal_counts),
            html.Dl(
                [
                    item
                    for label, value in facts
                    for item in (html.Dt(label, className="col-sm-3"), html.Dd(value, className="col-sm-9"))
                ],
                className="row small bg-white p-2 rounded",
            ),
            _kpi_table(catalog, status, language),
            html.H2(t("imports", language), className="h5 mt-4"),
            _imports_table(imports, language),
        ]
    )
