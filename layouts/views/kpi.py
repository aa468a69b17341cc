"""The page of one KPI: its definition (`layouts.views.kpi_definition`), its series for one
area, and its distribution across provinces (or the districts of a province) as sorted bars and
a ranked table that can be downloaded as CSV or XLSX. Pure: the catalog entry and frames in,
components and files out."""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.query import can
from data.rules.areas import name_column
from data.rules.catalog import KPI
from layouts.components.chart_text import RankingView, chart_figure, ranking_figure
from layouts.components.not_found import code_not_found
from layouts.components.scroll import scroll_box
from layouts.figures import STATIC_CONFIG, Measure
from layouts.figures.bars import shown_positions
from layouts.figures.charts import series_chart
from layouts.text.format import format_score, href, is_missing, status_badge, tag
from layouts.text.i18n import format_number, format_value, t
from layouts.views.kpi_definition import definition_card
from layouts.views.page_parts import (
    as_of_line,
    card_title,
    goal_chip,
    goal_name,
    notices,
    page_heading,
    section_card,
    selector,
)
from layouts.views.scorecard_table import badge_html

# the columns of the distribution table and of its downloads, in order
TABLE_COLUMNS = ("rank", "code", "area", "value", "unit", "score", "status")


# =========================================================================== the distribution table


def distribution_frame(frame: pd.DataFrame, kpi: KPI, language: str) -> pd.DataFrame:
    """The ranked table of areas (from `data.query.map_values`): rank (best first in the KPI's
    direction, the largest first for a context figure; none without data), code, area name,
    value rounded as shown, unit, score, status word. The page table and both downloads."""
    values = pd.to_numeric(frame.get("value"), errors="coerce").round(kpi.decimals)
    ascending = kpi.direction.value == "lower_better"
    rank = values.rank(method="min", ascending=ascending).astype("Int64")
    table = pd.DataFrame(
        {
            "rank": rank,
            "code": frame["area_code"].astype(str),
            "area": frame[name_column(language)].fillna(frame["area_code"]).astype(str),
            "value": values,
            "unit": kpi.unit.get(language),
            "score": pd.to_numeric(frame.get("score"), errors="coerce").round(2),
            "status": [
                status_badge(s).word(language) for s in frame.get("status", pd.Series("no_data", index=frame.index))
            ],
            "_status": frame.get("status", pd.Series("no_data", index=frame.index)).fillna("no_data").tolist(),
        }
    )
    if kpi.direction.value == "context":  # no better side: listed largest first, never ranked
        table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
        return table.sort_values(
            ["value", "code"], ascending=[False, True], na_position="last", kind="stable"
        ).reset_index(drop=True)
    table = table.sort_values(["rank", "code"], na_position="last", kind="stable").reset_index(drop=True)
    return table


def export_frame(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """The table as downloaded: the shown columns with headers in the page's language."""
    out = table[list(TABLE_COLUMNS)].copy()
    out.columns = [t(column, language) for column in TABLE_COLUMNS]
    return out


def table_csv(table: pd.DataFrame, language: str, decimals: int) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows the Thai names."""
    out = export_frame(table, language)
    value_column, score_column = t("value", language), t("score", language)
    out[value_column] = [
        format_number(v, decimals).replace(",", "") if not is_missing(v) else "" for v in table["value"]
    ]
    out[score_column] = [format_score(s) if not is_missing(s) else "" for s in table["score"]]
    out[t("rank", language)] = [str(int(r)) if not is_missing(r) else "" for r in table["rank"]]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def table_xlsx(table: pd.DataFrame, language: str, sheet: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out = export_frame(table, language)
        out[t("rank", language)] = out[t("rank", language)].astype(object).where(out[t("rank", language)].notna(), None)
        if len(sheet) > 31:  # Excel's limit: a name is chosen to fit, never cut
            raise ValueError(f"sheet name longer than 31 characters: {sheet!r}")
        out.to_excel(writer, index=False, sheet_name=sheet)
    return buffer.getvalue()


def distribution_table_html(
    table: pd.DataFrame,
    kpi: KPI,
    language: str,
    state: dict,
    area_path: str,
    ranking: RankingView | None = None,
) -> str:
    """The ranked table as markup (77 rows of Dash components are slow; see layouts.views.scorecard_table):
    the rows of the bars beside it (the first and last of a long ranking, unless `ranking`
    shows all), a row saying how many are left out where the bars' marker is."""
    header = tag(
        "thead",
        tag(
            "tr",
            *(
                tag("th", escape(t(key, language)), class_=cls)
                for key, cls in (("rank", "num"), ("area", None), ("value", "num"), ("score", "num"), ("status", None))
            ),
        ),
    )
    ranking = ranking or RankingView(show_all=True)
    records = table.to_dict("records")
    positions = shown_positions(table.rename(columns={"code": "area_code"}), "value", ranking.ends, ranking.keep)
    rows, previous = [], -1
    for position in [*positions, len(records)]:
        if position - previous > 1:  # a run of rows left out, as the bars mark it
            left_out = t("ranking_gap", language).format(n=position - previous - 1)
            rows.append(tag("tr", tag("td", escape(left_out), colspan="5", class_="text-muted"), class_="dist-gap"))
        if position < len(records):
            rows.append(
                _distribution_row(
                    records[position], kpi, language, href(f"{area_path}/{records[position]['code']}", state)
                )
            )
        previous = position
    return scroll_box(
        tag("table", header, tag("tbody", *rows), class_="table table-sm table-hover bg-white dist-table"),
        kpi.name.get(language),
    )


def _distribution_row(row: dict, kpi: KPI, language: str, link: str) -> str:
    """One area of the ranked table: rank, name (linking to its page), value, score, status."""
    badge = status_badge(row["_status"])
    value = None if is_missing(row["value"]) else float(row["value"])
    return tag(
        "tr",
        tag("td", escape("–" if is_missing(row["rank"]) else str(int(row["rank"]))), class_="num"),
        tag("td", tag("a", escape(row["area"]), href=link)),
        tag("td", escape(format_value(value, kpi.decimals, row["unit"])), class_="num"),
        tag("td", escape(format_score(row["score"])), class_="num"),
        tag("td", badge_html(badge, language, "status-pill")),
        class_="dist-row",
        data_area=row["code"],
    )


def download_buttons(download_state: dict, language: str) -> html.Div:
    """The CSV and XLSX buttons of the ranked table, their downloads, and the state they are
    drawn from (kpi, area, period, language: `callbacks.kpi_download`)."""
    return html.Div(
        [
            html.Button(
                [html.I(className="bi bi-filetype-csv me-1"), t("download_csv", language)],
                id="kpi-download-csv",
                disabled=not can("export"),
                className="btn btn-sm btn-outline-primary me-2",
                n_clicks=0,
            ),
            html.Button(
                [html.I(className="bi bi-file-earmark-excel me-1"), t("download_xlsx", language)],
                id="kpi-download-xlsx",
                disabled=not can("export"),
                className="btn btn-sm btn-outline-primary",
                n_clicks=0,
            ),
            dcc.Download(id="kpi-download-csv-file"),
            dcc.Download(id="kpi-download-xlsx-file"),
            dcc.Store(id="kpi-table-state", data=download_state),
        ],
        className="ms-auto",
    )


def distribution_card(
    *,
    table: pd.DataFrame,
    frame: pd.DataFrame,
    kpi: KPI,
    language: str,
    state: dict,
    title: str,
    area_path: str,
    download_state: dict,
    ranking: RankingView | None = None,
) -> dbc.Card:
    """Sorted bars (the first and last of a long ranking, unless `ranking` shows all) and the
    ranked table side by side, with the two downloads of that table."""
    measure = Measure.kpi_value(kpi)
    bars = frame.assign(href=[href(f"{area_path}/{code}", state) for code in frame["area_code"]])
    chart_title = t("chart_across", language).format(name=kpi.name.get(language), where=title)
    return section_card(
        html.Div(
            [
                card_title(title, kpi.name.get(language)),
                download_buttons(download_state, language),
            ],
            className="d-flex align-items-center flex-wrap",
        ),
        dbc.Row(
            [
                dbc.Col(
                    ranking_figure(
                        bars,
                        measure,
                        language,
                        title=chart_title,
                        element_id="kpi-bars-figure",
                        ranking=ranking,
                        bar_height=16,
                        graph_id={"type": "area-map", "name": "kpi-bars"},
                        config={"displayModeBar": False, "responsive": True},
                        className="poc-map",
                    ),
                    lg=6,
                ),
                dbc.Col(
                    dcc.Markdown(
                        distribution_table_html(table, kpi, language, state, area_path, ranking),
                        dangerously_allow_html=True,
                        id="kpi-distribution-table",
                        className="kpi-table",
                    ),
                    lg=6,
                ),
            ]
        ),
        "kpi-distribution",
    )


# =========================================================================== the page


def series_card(
    series: pd.DataFrame,
    kpi: KPI,
    language: str,
    *,
    area_options: Sequence[tuple[str, str]],
    area_value: str,
    area_name: str,
) -> dbc.Card:
    measure = Measure.kpi_value(kpi)
    if series.empty or series["value"].notna().sum() == 0:
        body = html.P(t("series_no_data", language), className="text-muted mb-0")
    else:
        # as tall as the card, which the definition beside it sets, rather than a band over empty space
        title = t("chart_over_time", language).format(name=kpi.name.get(language), area=area_name)
        body = chart_figure(
            series_chart(series, measure, language, title=title, height=None),
            "kpi-series-figure",
            language,
            graph_id="kpi-series",
            config=STATIC_CONFIG,
            responsive=True,
            graph_style={"flex": "1 1 auto", "minHeight": "320px"},
            fill=True,
        )
    return dbc.Card(
        [
            dbc.CardHeader(
                html.Div(
                    [
                        card_title(t("over_time", language), area_name, class_name="h6 mb-0 me-3"),
                        selector(
                            "area",
                            t("area", language),
                            area_options,
                            area_value,
                            default="TH",
                            searchable=True,
                            width="16rem",
                        ),
                    ],
                    className="d-flex align-items-center flex-wrap",
                )
            ),
            dbc.CardBody(body, className="p-2 d-flex flex-column"),
        ],
        className="mb-3 h-100",
        id="kpi-series-card",
    )


def create_kpi_page(
    *,
    kpi: KPI,
    kpis: dict[str, KPI],
    language: str,
    series: dict,
    distribution: dict,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    as_of_text: str,
    messages: Sequence[str] = (),
) -> html.Div:
    """The page body of /kpi/<id>."""
    return html.Div(
        [
            page_heading(
                [
                    html.Div(
                        [
                            goal_chip(kpi.goal, language),
                            html.Span(
                                f" {t('kpi', language)} · {goal_name(kpi.goal, language)}", className="text-muted small"
                            ),
                        ]
                    ),
                    html.H1(kpi.name.get(language), className="h3 mb-0"),
                    as_of_line(as_of_text),
                ],
                period_options,
                period_value,
                language,
            ),
            *notices(messages),
            dbc.Row(
                [
                    dbc.Col(definition_card(kpi, kpis, language), lg=5, className="mb-3"),
                    dbc.Col(series_card(language=language, kpi=kpi, **series), lg=7, className="mb-3"),
                ]
            ),
            distribution_card(kpi=kpi, language=language, **distribution),
        ],
        id="kpi-page",
    )


def kpi_not_found(kpi_id: str, language: str) -> html.Div:
    """A clear page for an id that is not in the catalog (no traceback): links to the data status
    and, second, to the overview."""
    data_status = dcc.Link(
        [html.I(className="bi bi-database-check me-1"), t("data_status", language)],
        href=href("/data", {"lang": language}),
        className="btn btn-primary btn-sm me-2",
    )
    return code_not_found(
        "kpi_not_found",
        kpi_id,
        language,
        {"lang": language},
        icon="bi-search",
        link_id=None,
        link_class="btn btn-outline-primary btn-sm",
        other_links=(data_status,),
    )
