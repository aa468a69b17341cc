"""The OSM comparison of one provincial cluster: who is in it (head province, membership
date), the cluster's own goal scores, the member provinces ranked on a chosen goal or KPI with
the gap to the best, their six goal scores side by side, and a provinces × KPIs heatmap of
scores grouped by goal. Pure: frames in, components out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.rules.areas import name_column
from layouts.components.chart_text import chart_figure
from layouts.components.not_found import code_not_found
from layouts.components.scroll import scroll_region
from layouts.figures import Measure
from layouts.figures.charts import heatmap_chart, radar_chart
from layouts.text.format import format_date, format_score, href, province_link_state
from layouts.text.i18n import GOAL_NAMES, t
from layouts.views.cluster_ranks import rank_rows, ranks_card
from layouts.views.page_parts import (
    OVERALL,
    as_of_line,
    coverage_text,
    goal_chip,
    goal_name,
    notices,
    page_heading,
    section_card,
    selector,
    status_pill,
)
from layouts.views.scorecard import breadcrumb

# =========================================================================== state


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# =========================================================================== sections


def facts_card(cluster: dict, names: dict[str, str], state: dict, language: str) -> dbc.Card:
    """Member provinces (each a link), the head province ("unverified" where no announcement
    confirms it) and the date of the membership."""
    link_state = province_link_state(state)
    head = cluster.get("head_province_code")
    members = [
        html.Li(
            [
                dcc.Link(names.get(code, code), href=href(f"/province/{code}", link_state)),
                html.I(className="bi bi-star-fill text-warning ms-1", title=t("head_province", language))
                if code == head
                else None,
            ],
            id=f"member-{code}",
        )
        for code in cluster["provinces"]
    ]
    head_line = [html.Span(names.get(head, "–") if head else "–", className="fw-semibold")]
    if head and not bool(cluster.get("head_verified")):
        head_line += [
            " ",
            html.Span(
                [
                    html.I(className="bi bi-question-circle me-1", **{"aria-hidden": "true"}),
                    t("head_unverified", language),
                ],
                className="badge bg-secondary",
                id="head-unverified",
            ),
            html.Div(t("head_unverified_note", language), className="small text-muted"),
        ]
    as_of = _as_date(cluster.get("as_of"))
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(t("members", language) + f" ({len(cluster['provinces'])})", className="small text-muted"),
                html.Ul(members, className="mb-2 ps-3 member-list"),
                html.Div(t("head_province", language), className="small text-muted"),
                html.Div(head_line, className="mb-2", id="head-province"),
                html.Div(
                    f"{t('membership_as_of', language)} {format_date(as_of, language) if as_of else '–'}",
                    className="small text-muted",
                    id="membership-as-of",
                ),
            ],
            className="p-3",
        ),
        className="mb-3",
        id="cluster-facts",
    )


def cluster_goals_card(goals: pd.DataFrame, path: str, state: dict, show: str, language: str) -> dbc.Card:
    """The cluster's own scores (the roll-up of its provinces): overall and the six goals, each
    with score, status (icon + word + colour) and coverage; a row puts that goal in the comparison."""
    order = [g for g in [OVERALL, *GOAL_NAMES] if g in set(goals["goal"])]
    rows = goals.set_index("goal").loc[order].reset_index()
    items = [
        dcc.Link(
            [
                html.Div([goal_chip(row["goal"], language)], className="goal-row-chip"),
                html.Div(
                    [
                        html.Div(goal_name(row["goal"], language), className="goal-row-name small"),
                        html.Div(
                            coverage_text(row.get("kpis_present"), row.get("kpis_scored"), language),
                            className="kpi-sub",
                        ),
                    ],
                    className="flex-grow-1 me-1",
                ),
                html.Div(format_score(row.get("score")), className="goal-row-score num"),
                html.Div(status_pill(row.get("status"), language, compact=True)),
            ],
            href=href(path, state, show=None if row["goal"] == OVERALL else row["goal"]),
            className="goal-row" + (" active" if row["goal"] == show else ""),
            id=f"cluster-goal-{row['goal']}",
        )
        for row in rows.to_dict("records")
    ]
    return section_card(t("cluster_as_whole", language), items, "cluster-goals")


def radar_card(goal_scores: pd.DataFrame, provinces: Sequence[str], language: str) -> dbc.Card:
    six = goal_scores[goal_scores["goal"] != OVERALL]
    return section_card(
        t("goal_scores_compared", language),
        chart_figure(
            radar_chart(six, language, provinces=provinces, height=400),
            "goal-radar-figure",
            language,
            graph_id="goal-radar",
            config={"displayModeBar": False, "responsive": True},
        ),
    )


def heatmap_card(
    comparison: pd.DataFrame,
    scored_kpis: Sequence[str],
    provinces: Sequence[str],
    show: str,
    state: dict,
    language: str,
) -> dbc.Card:
    """Scored KPIs × member provinces; only the chosen goal's KPIs when a goal is compared."""
    frame = comparison[comparison["kpi_id"].isin(scored_kpis)]
    goal = show if show in GOAL_NAMES else None
    if goal:
        frame = frame[frame["goal"] == goal]
    order = {kpi_id: i for i, kpi_id in enumerate(scored_kpis)}
    frame = frame.assign(_order=frame["kpi_id"].map(order)).sort_values("_order", kind="stable").drop(columns="_order")
    link_state = {"lang": state.get("lang"), "period": state.get("period")}
    frame = frame.assign(
        href=[
            href(f"/province/{code}", link_state, kpi=kpi_id)
            for code, kpi_id in zip(frame["area_code"], frame["kpi_id"])
        ]
    )
    chart = heatmap_chart(frame, language, provinces=provinces)
    figure = chart_figure(
        chart,
        "cluster-heatmap-figure",
        language,
        graph_id={"type": "area-map", "name": "cluster-heatmap"},
        graph_style={"minWidth": f"{(chart.figure.layout.meta or {}).get('min_width', 0)}px"},
        config={"displayModeBar": False, "responsive": True},
        className="poc-map",
    )
    # never narrower than its labels need (`Room.min_width`): on a phone the figure scrolls sideways
    # in its own box, a named region the keyboard reaches; its sentence and table keep the box's width
    figure = scroll_region(figure, t("heatmap_title", language), id="cluster-heatmap-scroll")
    return section_card(
        [
            t("heatmap_title", language),
            html.Small(
                " · " + t("heatmap_goal_only", language).format(goal=goal[1:]),
                className="text-muted fw-normal",
            )
            if goal
            else None,
        ],
        [
            html.Div(
                t("heatmap_note", language).format(n=frame["kpi_id"].nunique()),
                className="small text-muted mb-1",
            ),
            figure,
        ],
        "cluster-heatmap",
    )


# =========================================================================== the page body


def cluster_heading(
    cluster: dict,
    name: str,
    as_of_text: str,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    show_options: Sequence[tuple[str, str]],
    show_value: str,
    language: str,
) -> html.Div:
    """The cluster's number and name, what the page is and the as-of line, and the two selectors:
    the period and what the provinces are compared on."""
    number = html.Span(
        t("cluster_n", language).format(n=cluster["number"]), className="badge bg-primary me-2 align-middle fs-6"
    )
    return page_heading(
        [html.H1([number, name], className="h3 mb-0"), as_of_line(as_of_text, t("cluster_comparison", language))],
        period_options,
        period_value,
        language,
        selector(
            "show",
            t("compare_shows", language),
            show_options,
            show_value,
            default=OVERALL,
            searchable=True,
            width="30rem",
        ),
    )


def scores_row(
    cluster_goals: pd.DataFrame,
    comparison: pd.DataFrame,
    goal_scores: pd.DataFrame,
    scored_kpis: Sequence[str],
    provinces: Sequence[str],
    path: str,
    state: dict,
    show: str,
    language: str,
) -> dbc.Row:
    """The scores side by side: the provinces × KPIs heatmap, and left of it the cluster's own
    goals and the radar of the members' goal scores."""
    # the heatmap comes first in the page so plotly draws it first (the comparison the page is
    # for); the goals and the radar still show on its left (CSS order)
    return dbc.Row(
        [
            dbc.Col(
                heatmap_card(comparison, scored_kpis, provinces, show, state, language),
                xl=8,
                lg=7,
                className="order-2",
            ),
            dbc.Col(
                [
                    cluster_goals_card(cluster_goals, path, state, show, language),
                    radar_card(goal_scores, provinces, language),
                ],
                xl=4,
                lg=5,
                className="order-1",
            ),
        ]
    )


def create_cluster(
    *,
    language: str,
    state: dict,
    path: str,
    cluster: dict,
    names: dict[str, str],
    chain: Sequence[tuple[str, str | None]],
    cluster_goals: pd.DataFrame,
    comparison: pd.DataFrame,
    goal_scores: pd.DataFrame,
    scored_kpis: Sequence[str],
    show_options: Sequence[tuple[str, str]],
    show_value: str,
    measure: Measure,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    as_of_text: str,
    messages: Sequence[str] = (),
) -> html.Div:
    """The page body of /cluster/<number>. `cluster` is a row of `data.query.clusters`; `names`
    maps province codes to names in the page's language; `comparison` is `cluster_comparison`,
    `goal_scores` is `province_goal_scores` of the members; `scored_kpis` in catalog order."""
    name = cluster[name_column(language)]
    provinces = list(cluster["provinces"])
    return html.Div(
        [
            breadcrumb(chain),
            cluster_heading(
                cluster, name, as_of_text, period_options, period_value, show_options, show_value, language
            ),
            *notices(messages),
            dbc.Row(
                [
                    dbc.Col(facts_card(cluster, names, state, language), xl=3, lg=4),
                    dbc.Col(
                        ranks_card(
                            rank_rows(show_value, comparison, goal_scores),
                            measure,
                            cluster.get("head_province_code"),
                            state,
                            language,
                        ),
                        xl=9,
                        lg=8,
                    ),
                ]
            ),
            scores_row(
                cluster_goals, comparison, goal_scores, scored_kpis, provinces, path, state, show_value, language
            ),
        ],
        id="cluster",
    )


def cluster_not_found(number: str, language: str, state: dict) -> html.Div:
    """A clear page for a number that is no cluster."""
    return code_not_found("cluster_not_found", number, language, state, icon="bi-diagram-3")


__all__ = ["cluster_not_found", "create_cluster"]
