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
from layouts.components.chart_text import RankingView, chart_figure, ranking_figure
from layouts.components.not_found import code_not_found
from layouts.components.scroll import scroll_box
from layouts.figures import MAP_CONFIG, Measure
from layouts.figures.charts import map_chart
from layouts.text.format import format_score, href, status_badge, tag
from layouts.text.i18n import format_value, t, t_at
from layouts.views.page_parts import as_of_line, kpi_selector, notices, page_heading, section_card
from layouts.views.scorecard import breadcrumb
from layouts.views.scorecard_table import (  # one look for every KPI row
    KPI_COLUMNS,
    badge_html,
    kpi_header,
    kpi_numbers,
    kpi_tr,
    trend_cell,
    value_cell,
)

_COLUMNS = tuple(column for column in KPI_COLUMNS if column[0] != "rank_cluster")  # no cluster rank


def district_kpi_row(row: dict, language: str, state: dict, area_code: str) -> str:
    """One KPI of the district (markup): name linking to the KPI's page for this district, value
    with unit and period, target, score, status (icon + word), trend, freshness, owner."""
    unit, decimals, value, target = kpi_numbers(row, language)
    link = href(f"/kpi/{row['kpi_id']}", {"lang": state.get("lang"), "area": area_code, "period": state.get("period")})
    cells = [
        tag(
            "td",
            tag("span", escape(row["goal"]), class_="badge goal-chip bg-secondary me-2"),
            tag("a", escape(row[name_column(language)]), href=link, class_="kpi-name"),
            tag("div", escape(row["source_en" if language == "en" else "source_th"]), class_="kpi-sub"),
        ),
        value_cell(row, value, decimals, unit, language),
        tag("td", escape(format_value(target, decimals, unit)), class_="num"),
        tag("td", escape(format_score(row.get("score"))), class_="num"),
        tag("td", badge_html(status_badge(row.get("status")), language, "status-pill")),
        tag("td", trend_cell(row, decimals, unit, language)),
    ]
    return kpi_tr(row, cells, language)


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
    header = kpi_header(_COLUMNS, language)
    body = tag("tbody", *(district_kpi_row(r, language, state, area_code) for r in card.to_dict("records")))
    table = scroll_box(
        tag("table", header, body, class_="table table-sm table-hover bg-white scorecard-table"),
        t_at("district_kpis", language, area_code),
    )
    note = (
        dbc.Alert(
            [
                html.I(className="bi bi-info-circle me-2"),
                t_at("province_only_note", language, area_code).format(n=province_only),
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
    return section_card(
        t_at("district_kpis", language, area_code),
        [dcc.Markdown(table, dangerously_allow_html=True, id="kpi-table", className="kpi-table"), note],
        "district-kpis",
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
            tag("td", badge_html(status_badge(row.get("status")), language, "status-pill")),
        )
        for row in frame.to_dict("records")
    ]
    place = frame["area_code"].iloc[0] if len(frame) else ""  # Bangkok's subdistricts are แขวง
    header = tag(
        "thead",
        tag(
            "tr",
            *(
                tag("th", escape(t_at(k, language, place)), class_=c)
                for k, c in (("subdistrict", None), ("value", "num"), ("score", "num"), ("status", None))
            ),
        ),
    )
    return scroll_box(
        tag("table", header, tag("tbody", *rows), class_="table table-sm bg-white dist-table"),
        f"{t_at('subdistrict', language, place)} · {measure.name(language)}",
    )


def subdistrict_map_and_list(
    frame: pd.DataFrame,
    geojson: dict | None,
    measure: Measure,
    language: str,
    ranking: RankingView | None = None,
    area_code: str | None = None,
) -> dbc.Row:
    """The subdistricts on the KPI: a map (sorted bars, with a note, where no subdistrict
    boundaries are imported: the first and last of a long ranking unless `ranking` shows all)
    beside the list of their values. The subdistricts of Bangkok's เขต are แขวง."""
    drawn_as = "subdistrict_map" if geojson and geojson.get("features") else "subdistricts_compared"
    where = t_at(drawn_as, language, area_code)
    title = t("chart_across", language).format(name=measure.name(language), where=where)
    if geojson and geojson.get("features"):
        chart = map_chart(frame, geojson, measure, language, title=title, height=440)
        shown = chart_figure(chart, "subdistrict-map-figure", language, graph_id="subdistrict-map", config=MAP_CONFIG)
    else:
        note = html.Div(
            t_at("no_subdistrict_boundaries", language, area_code),
            className="small text-muted",
            id="no-subdistrict-boundaries",
        )
        shown = ranking_figure(
            frame,
            measure,
            language,
            title=title,
            element_id="subdistrict-map-figure",
            ranking=ranking,
            bar_height=18,
            note=note,
            graph_id="subdistrict-map",
            config=MAP_CONFIG,
        )
    return dbc.Row(
        [
            dbc.Col(shown, lg=6),
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
    ranking: RankingView | None = None,
    area_code: str | None = None,
) -> dbc.Card:
    """A subdistrict map of one KPI (sorted bars when no subdistrict boundaries are imported, and
    the panel titled for them), of the district `area_code` (by default, of the frame's areas)."""
    place = area_code if area_code is not None else _first_code(frame)
    drawn_as = "subdistrict_map" if geojson and geojson.get("features") else "subdistricts_compared"
    if measure is None or not kpi_options:
        body = [html.P(t_at("no_subdistrict_kpi", language, place), className="text-muted mb-0")]
    else:
        body = [kpi_selector(kpi_options, kpi_value, default_kpi, language, width="32rem")]
        if frame.empty or pd.to_numeric(frame["value"], errors="coerce").notna().sum() == 0:
            body.append(
                html.P(
                    t_at("no_subdistrict_data", language, place), className="text-muted mb-0", id="no-subdistrict-data"
                )
            )
        else:
            body.append(subdistrict_map_and_list(frame, geojson, measure, language, ranking, place))
    return section_card(t_at(drawn_as, language, place), body, "subdistrict-section")


def _first_code(frame: pd.DataFrame | None) -> str | None:
    """The code of the first area of a frame (whose areas share a district), or None."""
    if frame is None or frame.empty or "area_code" not in frame:
        return None
    return str(frame["area_code"].iloc[0])


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
    area_code: str | None = None,
) -> html.Div:
    """The page body of /district/<code> (a เขต of Bangkok when `area_code` is 10xx)."""
    return html.Div(
        [
            breadcrumb(chain),
            page_heading(
                [
                    html.H1(title, className="h3 mb-0"),
                    as_of_line(as_of_text, t_at("district_report", language, area_code)),
                ],
                period_options,
                period_value,
                language,
            ),
            *notices(messages),
            kpis,
            subdistricts,
        ],
        id="district-page",
    )


def district_not_found(code: str, language: str) -> html.Div:
    """A clear page for a code that is not a district (no traceback)."""
    return code_not_found("district_not_found", code, language, {"lang": language}, link_id=None)
