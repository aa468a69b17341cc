"""The page of one district: its KPIs published by district or subdistrict (the ones published
only by province are named in a note, not listed empty), and a subdistrict map of one KPI.
Pure: frames in, components out."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.rules.areas import name_column
from data.rules.periods import LATEST
from layouts.figures import MAP_CONFIG, Measure, choropleth_figure, ranked_bars_figure, sparkline_svg
from layouts.text.format import FRESHNESS, TREND, format_score, href, is_missing, status_badge, tag
from layouts.text.i18n import format_value, t
from layouts.views.page_parts import notices, selector
from layouts.views.scorecard import breadcrumb
from layouts.views.scorecard_table import _badge_html, _period_text, _trend_alt  # one look for every KPI row

_COLUMNS = (
    ("kpi", None),
    ("value", "num"),
    ("target", "num"),
    ("score", "num"),
    ("status", None),
    ("trend", None),
    ("freshness", None),
    ("owner", None),
)


def district_kpi_row(row: dict, language: str, state: dict, area_code: str) -> str:
    """One KPI of the district (markup): name linking to the KPI's page for this district, value
    with unit and period, target, score, status (icon + word), trend, freshness, owner."""
    english = language == "en"
    unit = row["unit_en" if english else "unit_th"]
    decimals = int(row.get("decimals") or 0)
    value = None if is_missing(row.get("value")) else float(row["value"])
    target = None if is_missing(row.get("target")) else float(row["target"])
    trend_values = row.get("trend_values")
    trend_values = tuple(trend_values) if isinstance(trend_values, (tuple, list)) else ()
    if len(trend_values) >= 2:
        badge = TREND.get(row.get("trend") or "stable", TREND["stable"])
        trend = tag(
            "div",
            sparkline_svg(trend_values, row.get("status"), label=_trend_alt(trend_values, decimals, unit, language)),
            tag(
                "span",
                tag("i", class_=f"bi {badge.icon} me-1", aria_hidden="true"),
                escape(badge.word(language)),
                class_="small trend-word",
                style=f"color:{badge.colour}",
            ),
            class_="d-flex align-items-center gap-2",
        )
    else:
        trend = tag("span", "–", class_="text-muted")
    link = href(f"/kpi/{row['kpi_id']}", {"lang": state.get("lang"), "area": area_code, "period": state.get("period")})
    cells = [
        tag(
            "td",
            tag("span", escape(row["goal"]), class_="badge goal-chip bg-secondary me-2"),
            tag("a", escape(row[name_column("en" if english else "th")]), href=link, class_="kpi-name"),
            tag("div", escape(row["source_en" if english else "source_th"]), class_="kpi-sub"),
        ),
        tag(
            "td",
            tag("div", escape(format_value(value, decimals, unit)), class_="fw-semibold"),
            tag("div", escape(_period_text(row, language)), class_="kpi-sub"),
            class_="num",
        ),
        tag("td", escape(format_value(target, decimals, unit)), class_="num"),
        tag("td", escape(format_score(row.get("score"))), class_="num"),
        tag("td", _badge_html(status_badge(row.get("status")), language, "status-pill")),
        tag("td", trend),
        tag(
            "td",
            _badge_html(
                FRESHNESS.get(row.get("freshness") or "missing", FRESHNESS["missing"]), language, "fresh-badge"
            ),
        ),
        tag("td", escape(row["owner_en" if english else "owner_th"]), class_="small"),
    ]
    return tag("tr", *cells, class_="kpi-row" + ("" if row.get("scored") else " kpi-monitored"), data_kpi=row["kpi_id"])


def district_kpi_card(
    card: pd.DataFrame,
    *,
    province_only: int,
    province_name: str,
    province_link: str,
    language: str,
    state: dict,
    area_code: str,
) -> dbc.Card:
    """The KPIs with district (or subdistrict) values, then a note naming how many are
    published only by province, with a link to the provincial scorecard."""
    header = tag("thead", tag("tr", *(tag("th", escape(t(key, language)), class_=cls) for key, cls in _COLUMNS)))
    body = tag("tbody", *(district_kpi_row(r, language, state, area_code) for r in card.to_dict("records")))
    table = tag(
        "div",
        tag("table", header, body, class_="table table-sm table-hover bg-white scorecard-table"),
        class_="table-responsive",
    )
    note = (
        dbc.Alert(
            [
                html.I(className="bi bi-info-circle me-2"),
                t("province_only_note", language).format(n=province_only),
                " ",
                dcc.Link(
                    t("open_province", language).format(name=province_name), href=province_link, id="province-link"
                ),
            ],
            color="light",
            className="py-2 small mb-0 mt-2 border",
            id="province-only-note",
        )
        if province_only
        else None
    )
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(t("district_kpis", language), className="h6 mb-0")),
            dbc.CardBody(
                [dcc.Markdown(table, dangerously_allow_html=True, id="kpi-table", className="kpi-table"), note],
                className="p-2",
            ),
        ],
        className="mb-3",
        id="district-kpis",
    )


def subdistrict_list_html(frame: pd.DataFrame, measure: Measure, language: str) -> str:
    """The subdistricts, best first, with value (unit), score and status (markup)."""
    frame = frame.assign(_v=pd.to_numeric(frame["value"], errors="coerce"))
    frame = frame.assign(_shown=frame["_v"].round(measure.decimals))  # the order of the bars beside it
    frame = frame.sort_values(
        ["_shown", "area_code"],
        ascending=[measure.direction == "lower_better", True],
        na_position="last",
        kind="stable",
    )
    name = name_column(language)
    rows = [
        tag(
            "tr",
            tag("td", escape(str(row[name] or row["area_code"]))),
            tag("td", escape(measure.format(row["_v"], language)), class_="num"),
            tag("td", escape(format_score(row.get("score"))), class_="num"),
            tag("td", _badge_html(status_badge(row.get("status")), language, "status-pill")),
        )
        for row in frame.to_dict("records")
    ]
    header = tag(
        "thead",
        tag(
            "tr",
            *(
                tag("th", escape(t(k, language)), class_=c)
                for k, c in (("subdistrict", None), ("value", "num"), ("score", "num"), ("status", None))
            ),
        ),
    )
    return tag(
        "div",
        tag("table", header, tag("tbody", *rows), class_="table table-sm bg-white dist-table"),
        class_="table-responsive",
    )


def subdistrict_map_and_list(frame: pd.DataFrame, geojson: dict | None, measure: Measure, language: str) -> dbc.Row:
    """The subdistricts on the KPI: a map (sorted bars, with a note, where no subdistrict
    boundaries are imported) beside the list of their values."""
    if geojson and geojson.get("features"):
        figure, note = choropleth_figure(frame, geojson, measure, language, height=440), None
    else:
        figure = ranked_bars_figure(frame, measure, language, bar_height=18)
        note = html.Div(
            t("no_subdistrict_boundaries", language),
            className="small text-muted",
            id="no-subdistrict-boundaries",
        )
    return dbc.Row(
        [
            dbc.Col([dcc.Graph(id="subdistrict-map", figure=figure, config=MAP_CONFIG), note], lg=6),
            dbc.Col(
                dcc.Markdown(
                    subdistrict_list_html(frame, measure, language),
                    dangerously_allow_html=True,
                    id="subdistrict-table",
                    className="kpi-table",
                ),
                lg=6,
            ),
        ]
    )


def subdistrict_section(
    *,
    frame: pd.DataFrame,
    geojson: dict | None,
    measure: Measure | None,
    kpi_options: Sequence[tuple[str, str]],
    kpi_value: str | None,
    default_kpi: str | None,
    language: str,
) -> dbc.Card:
    """A subdistrict map of one KPI (sorted bars when no subdistrict boundaries are imported)."""
    if measure is None or not kpi_options:
        body = [html.P(t("no_subdistrict_kpi", language), className="text-muted mb-0")]
    else:
        body = [
            selector(
                "kpi",
                t("choose_kpi", language),
                kpi_options,
                kpi_value,
                default=default_kpi,
                searchable=True,
                width="32rem",
            )
        ]
        if frame.empty or pd.to_numeric(frame["value"], errors="coerce").notna().sum() == 0:
            body.append(
                html.P(t("no_subdistrict_data", language), className="text-muted mb-0", id="no-subdistrict-data")
            )
        else:
            body.append(subdistrict_map_and_list(frame, geojson, measure, language))
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(t("subdistrict_map", language), className="h6 mb-0")),
            dbc.CardBody(body, className="p-2"),
        ],
        className="mb-3",
        id="subdistrict-section",
    )


def create_district_page(
    *,
    language: str,
    chain: Sequence[tuple[str, str | None]],
    title: str,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    as_of_text: str,
    kpis: dbc.Card,
    subdistricts: dbc.Card,
    messages: Sequence[str] = (),
) -> html.Div:
    """The page body of /district/<code>."""
    return html.Div(
        [
            breadcrumb(chain),
            html.Div(
                [
                    html.Div(
                        [
                            html.H1(title, className="h3 mb-0"),
                            html.Div(
                                [t("district_report", language), " · ", as_of_text],
                                className="text-muted small",
                                id="as-of",
                            ),
                        ],
                        className="me-4 mb-2",
                    ),
                    selector(
                        "period", t("period", language), period_options, period_value, default=LATEST, width="14rem"
                    ),
                ],
                className="d-flex flex-wrap align-items-end mb-2",
            ),
            *notices(messages),
            kpis,
            subdistricts,
        ],
        id="district-page",
    )


def district_not_found(code: str, language: str) -> html.Div:
    """A clear page for a code that is not a district (no traceback)."""
    return html.Div(
        dbc.Alert(
            [
                html.H1([html.I(className="bi bi-geo-alt me-2"), t("district_not_found", language)], className="h4"),
                html.P(t("district_not_found_text", language).format(code=code)),
                dcc.Link(
                    [html.I(className="bi bi-arrow-left me-1"), t("back_to_overview", language)],
                    href=href("/", {"lang": language}),
                    className="btn btn-primary btn-sm",
                ),
            ],
            color="warning",
            className="mt-3",
        ),
        id="not-found",
    )
