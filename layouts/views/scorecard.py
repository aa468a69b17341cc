"""The governor's scorecard of one province: breadcrumb, overall score, six goal tiles, the KPIs
grouped by goal (catalog order or worst first; the table is `layouts.views.scorecard_table`), and
a district map of one KPI. Pure: frames in, components out."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from layouts.components.chart_text import RankingView, chart_figure, ranking_figure
from layouts.components.not_found import code_not_found
from layouts.figures import MAP_CONFIG, STATIC_CONFIG, Measure
from layouts.figures.charts import goals_chart, map_chart
from layouts.text.format import coverage_note, format_rank, format_score, href, is_missing, status_badge
from layouts.text.i18n import t, t_at
from layouts.views.page_parts import (
    as_of_line,
    coverage_text,
    goal_chip,
    goal_name,
    kpi_selector,
    notices,
    page_heading,
    section_card,
    status_pill,
)
from layouts.views.scorecard_table import WORST_FIRST, kpi_table, order_goals

# =========================================================================== top of the page


def breadcrumb(chain: Sequence[tuple[str, str | None]]) -> dbc.Breadcrumb:
    """ประเทศไทย › cluster › province: (label, link) pairs, the last one the current page."""
    items = [
        {"label": label, "href": link, "external_link": False} if link else {"label": label, "active": True}
        for label, link in chain
    ]
    return dbc.Breadcrumb(items=items, className="poc-breadcrumb", id="breadcrumb")


def overall_card(
    goals: pd.DataFrame, ranks: pd.DataFrame, language: str, *, watch: float, on_target: float
) -> dbc.Card:
    """The overall score with its status and ranks, and the six goals as bullet bars."""
    overall = goals.set_index("goal").loc["ALL"] if "ALL" in set(goals["goal"]) else pd.Series(dtype=object)
    rank = ranks.set_index("goal").loc["ALL"] if "ALL" in set(ranks.get("goal", [])) else pd.Series(dtype=object)
    places = []
    if (
        not is_missing(rank.get("rank_cluster"))
        and not is_missing(rank.get("cluster_size"))
        and rank.get("cluster_size", 0) > 1
    ):
        places.append(t("in_cluster", language).format(rank=format_rank(rank["rank_cluster"], rank["cluster_size"])))
    if not is_missing(rank.get("rank_country")):
        places.append(t("in_country", language).format(rank=format_rank(rank["rank_country"], rank["country_size"])))
    six = goals[goals["goal"] != "ALL"]
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(t("overall_score", language), className="small text-muted"),
                html.Div(
                    [
                        html.Span(format_score(overall.get("score")), className="display-6 fw-semibold me-2"),
                        status_pill(overall.get("status"), language),
                    ],
                    className="d-flex align-items-center",
                ),
                html.Div(
                    " · ".join([t("rank", language) + " " + places[0], *places[1:]])
                    if places
                    else coverage_note(overall, language),
                    className="small mb-1",
                    id="overall-rank",
                ),
                # as tall as the card, which the goal tiles beside it set, rather than a band over empty space
                chart_figure(
                    goals_chart(six, language, watch=watch, on_target=on_target, fill=True),
                    "goal-bullet-figure",
                    language,
                    config=STATIC_CONFIG,
                    className="goal-bullet",
                    responsive=True,
                    graph_style={"flex": "1 1 auto", "minHeight": "250px", "maxHeight": "420px"},
                    fill=True,
                ),
            ],
            className="p-3 d-flex flex-column",
        ),
        className="h-100",
        id="overall",
    )


def goal_tile(goal: pd.Series, rank: pd.Series | None, language: str) -> dbc.Card:
    """One goal: score, status (icon + word + colour), coverage "7/8 KPIs", rank in the cluster."""
    code = goal["goal"]
    badge = status_badge(goal.get("status"))
    rank_text = ""
    if rank is not None and not is_missing(rank.get("rank_cluster")) and rank.get("cluster_size", 0) > 1:
        rank_text = t("in_cluster", language).format(rank=format_rank(rank["rank_cluster"], rank["cluster_size"]))
    elif rank is not None and not is_missing(rank.get("rank_country")):
        rank_text = t("in_country", language).format(rank=format_rank(rank["rank_country"], rank["country_size"]))
    return dbc.Card(
        html.A(
            dbc.CardBody(
                [
                    html.Div([goal_chip(code, language)], className="mb-1"),
                    html.Div(goal_name(code, language), className="goal-tile-name"),
                    html.Div(
                        [
                            html.Span(format_score(goal.get("score")), className="goal-tile-score me-2"),
                            status_pill(goal.get("status"), language),
                        ],
                        className="d-flex align-items-center my-1",
                    ),
                    html.Div(
                        coverage_text(goal.get("kpis_present"), goal.get("kpis_scored"), language), className="small"
                    ),
                    html.Div(rank_text or coverage_note(goal, language), className="small text-muted"),
                ],
                className="p-2",
            ),
            href=f"#goal-{code}",
            className="text-reset text-decoration-none",
        ),
        className="goal-tile",
        style={"--status-colour": badge.colour},
        id=f"goal-tile-{code}",
    )


def goal_tiles(goals: pd.DataFrame, ranks: pd.DataFrame, language: str, sort: str | None) -> dbc.Row:
    by_goal = goals.set_index("goal", drop=False)
    rank_by_goal = ranks.set_index("goal", drop=False) if not ranks.empty else pd.DataFrame()
    return dbc.Row(
        [
            dbc.Col(
                goal_tile(by_goal.loc[goal], rank_by_goal.loc[goal] if goal in rank_by_goal.index else None, language),
                md=6,
                className="mb-2",
            )
            for goal in order_goals(goals[goals["goal"] != "ALL"], sort)
        ],
        className="g-2",
        id="goal-tiles",
    )


def sort_toggle(state: dict, path: str, sort: str | None, language: str) -> html.Div:
    """Catalog order / worst first, as links (the order is part of the URL: ?sort=worst)."""
    links = []
    for value, key, icon in ((None, "sort_catalog", "bi-list-ol"), (WORST_FIRST, "sort_worst", "bi-sort-down")):
        active = (sort == WORST_FIRST) == (value == WORST_FIRST)
        links.append(
            dcc.Link(
                [html.I(className=f"bi {icon} me-1"), t(key, language)],
                href=href(path, state, sort=value),
                id=f"sort-{value or 'catalog'}",
                className="btn btn-sm " + ("btn-primary active" if active else "btn-outline-primary"),
            )
        )
    return html.Div(links, className="btn-group sort-toggle", role="group")


# =========================================================================== districts


def district_section(
    *,
    frame: pd.DataFrame,
    geojson: dict | None,
    measure: Measure | None,
    kpi_options: Sequence[tuple[str, str]],
    kpi_value: str | None,
    default_kpi: str | None,
    state: dict,
    language: str,
    ranking: RankingView | None = None,
    area_code: str | None = None,
) -> dbc.Card:
    """A district map of one KPI (bars when no district boundaries are imported: the first and
    last of a long ranking unless `ranking` shows all, and the panel is titled for the bars); a
    click opens the district. The districts of the province `area_code` (by default, of the
    frame's areas) are เขต in Bangkok."""
    place = area_code if area_code is not None else _first_code(frame)  # Bangkok's districts are เขต
    drawn_as = "district_map" if geojson and geojson.get("features") else "districts_compared"
    if measure is None or not kpi_options:
        body = [html.P(t_at("no_district_kpi", language, place), className="text-muted mb-0")]
    else:
        frame = frame.assign(
            href=[
                href(f"/district/{code}", {"lang": state.get("lang"), "period": state.get("period"), "kpi": kpi_value})
                for code in frame["area_code"]
            ]
        )
        title = t("chart_across", language).format(name=measure.name(language), where=t_at(drawn_as, language, place))
        hint = html.Div(
            [html.I(className="bi bi-hand-index me-1"), t_at("click_district", language, place)],
            className="small text-muted",
        )
        graph = dict(graph_id={"type": "area-map", "name": "districts"}, config=MAP_CONFIG, className="poc-map")
        if geojson and geojson.get("features"):
            chart = map_chart(frame, geojson, measure, language, title=title, height=440)
            shown = chart_figure(chart, "district-map-figure", language, extra=hint, **graph)
        else:
            note = html.Div(t_at("no_district_boundaries", language, place), className="small text-muted")
            shown = ranking_figure(
                frame,
                measure,
                language,
                title=title,
                element_id="district-map-figure",
                ranking=ranking,
                note=html.Div([hint, note]),
                **graph,
            )
        body = [kpi_selector(kpi_options, kpi_value, default_kpi, language, width="100%"), shown]
    return section_card(t_at(drawn_as, language, place), body, "district-map")


def _first_code(frame: pd.DataFrame | None) -> str | None:
    """The code of the first area of a frame (whose areas share a province), or None."""
    if frame is None or frame.empty or "area_code" not in frame:
        return None
    return str(frame["area_code"].iloc[0])


# =========================================================================== the page body


def scorecard_heading(
    province_name: str,
    is_capital: bool,
    as_of_text: str,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    language: str,
) -> html.Div:
    """The province's name ("จังหวัด…", or the capital's own name), what the page is and the
    as-of line, and the period selector."""
    title = [
        html.H1(
            province_name if is_capital else t("province_of", language).format(name=province_name), className="h3 mb-0"
        ),
        as_of_line(as_of_text, t("scorecard_capital" if is_capital else "scorecard", language)),
    ]
    return page_heading(title, period_options, period_value, language)


def create_scorecard(
    *,
    language: str,
    state: dict,
    path: str,
    province_name: str,
    is_capital: bool = False,
    chain: Sequence[tuple[str, str | None]],
    goals: pd.DataFrame,
    goal_ranks: pd.DataFrame,
    card: pd.DataFrame,
    sort: str | None,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    as_of_text: str,
    district: dbc.Card,
    watch: float = 2.0,
    on_target: float = 3.0,
    messages: Sequence[str] = (),
) -> html.Div:
    """The page body of /province/<code>."""
    return html.Div(
        [
            breadcrumb(chain),
            scorecard_heading(province_name, is_capital, as_of_text, period_options, period_value, language),
            *notices(messages),
            dbc.Row(
                [
                    dbc.Col(
                        overall_card(goals, goal_ranks, language, watch=watch, on_target=on_target),
                        xl=3,
                        lg=5,
                        className="mb-2",
                    ),
                    dbc.Col(goal_tiles(goals, goal_ranks, language, sort), xl=5, lg=7),
                    dbc.Col(district, xl=4, lg=12),
                ],
                className="mb-2",
            ),
            html.Div(
                [
                    html.H2(t("kpis_by_goal", language), className="h5 mb-0 me-3"),
                    sort_toggle(state, path, sort, language),
                ],
                className="d-flex align-items-center mb-2",
            ),
            kpi_table(card, goals, language, sort),
        ],
        id="scorecard",
    )


def not_found(code: str, language: str, state: dict) -> html.Div:
    """A clear page for a code that is not a province (no traceback)."""
    return code_not_found("not_found", code, language, state, link_id=None)
