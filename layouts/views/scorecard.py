"""The governor's scorecard of one province: breadcrumb, overall score, six goal tiles, the KPIs
grouped by goal (catalog order or worst first), and a district map of one KPI.
Pure: frames in, components out."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

from data.rules.areas import name_column
from data.rules.periods import LATEST, Period
from layouts.figures import (
    MAP_CONFIG,
    STATIC_CONFIG,
    Measure,
    choropleth_figure,
    goal_bullet_figure,
    ranked_bars_figure,
    sparkline_svg,
)
from layouts.text.format import (
    FRESHNESS,
    TREND,
    coverage_note,
    format_rank,
    format_score,
    gap_text,
    href,
    is_missing,
    missing_parts_text,
    status_badge,
    tag,
)
from layouts.text.i18n import GOAL_NAMES, format_value, t
from layouts.theme import GOAL_COLOURS
from layouts.views.overview import coverage_text, goal_chip, goal_name, notices, selector, status_pill

GOALS = tuple(GOAL_NAMES)
WORST_FIRST = "worst"


# =========================================================================== ordering


def order_kpis(card: pd.DataFrame, sort: str | None) -> list[tuple[str, pd.DataFrame]]:
    """(goal, its KPI rows) in display order. Catalog order by default; worst first puts the
    goal with the lowest score first and, inside each goal, the scored KPIs by score from the
    lowest, then scored KPIs without data, then the monitored (unscored) ones."""
    if sort == WORST_FIRST:  # one sort for all goals: the groups below keep its order
        scored = card["scored"].astype(bool)
        rank = np.where(scored, 0, 2) + (scored & card["score"].isna()).to_numpy().astype(int)
        card = card.assign(_group=rank).sort_values(["_group", "score"], kind="stable").drop(columns="_group")
    groups = dict(tuple(card.groupby("goal", sort=False)))
    return [(goal, groups[goal]) for goal in GOALS if goal in groups]


def order_goals(goals: pd.DataFrame, sort: str | None) -> list[str]:
    present = [g for g in GOALS if g in set(goals["goal"])]
    if sort != WORST_FIRST:
        return present
    scores = goals.set_index("goal")["score"]
    return sorted(
        present, key=lambda g: (is_missing(scores.get(g)), scores.get(g) if not is_missing(scores.get(g)) else 0)
    )


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
                dcc.Graph(
                    figure=goal_bullet_figure(six, language, watch=watch, on_target=on_target, fill=True),
                    config=STATIC_CONFIG,
                    className="goal-bullet",
                    responsive=True,
                    style={"flex": "1 1 auto", "minHeight": "250px", "maxHeight": "420px"},
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


# =========================================================================== the KPI table


def _badge_html(badge, language: str, class_name: str) -> str:
    """Icon + word on the badge's colour, as markup (a status is never colour alone)."""
    return tag(
        "span",
        tag("i", class_=f"bi {badge.icon} me-1", aria_hidden="true"),
        escape(badge.word(language)),
        class_=f"badge {class_name}",
        title=badge.word(language),
        style=f"background-color:{badge.colour};color:{badge.text_colour}",
    )


def _goal_chip_html(goal: str) -> str:
    return tag("span", escape(goal), class_="badge goal-chip", style=f"background-color:{GOAL_COLOURS[goal]}")


def _trend_alt(trend_values: tuple, decimals: int, unit: str, language: str) -> str:
    """What the sparkline shows, in words: the values it joins."""
    values = [format_value(float(v), decimals, unit) for v in trend_values if not is_missing(v)]
    return f"{t('trend', language)}: " + " → ".join(values)


def _period_text(row: dict, language: str) -> str:
    if is_missing(row.get("fiscal_year")) or not row.get("period_type"):
        return ""
    text = Period(row["period_type"], int(row["fiscal_year"]), int(row["period_no"])).label(language)
    return text + (f" ({t('preliminary', language)})" if row.get("is_preliminary") else "")


def _trend_cell(row: dict, decimals: int, unit: str, language: str) -> str:
    """The KPI's sparkline and its trend (icon + word), or a dash with fewer than two periods."""
    trend_values = row.get("trend_values")
    trend_values = tuple(trend_values) if isinstance(trend_values, (tuple, list)) else ()  # NaN where no data
    if len(trend_values) < 2:
        return tag("span", "–", class_="text-muted")
    badge = TREND.get(row.get("trend") or "stable", TREND["stable"])
    return tag(
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


def kpi_row(row: dict, language: str) -> str:
    """One KPI as a table row (markup): value with unit and period, target, score, status (icon +
    word), trend (sparkline + word), rank in the cluster, freshness and owner."""
    unit = row["unit_en"] if language == "en" else row["unit_th"]
    decimals = int(row.get("decimals") or 0)
    value = None if is_missing(row.get("value")) else float(row["value"])
    target = None if is_missing(row.get("target")) else float(row["target"])
    cluster_rank = format_rank(row.get("rank_cluster"), row.get("cluster_size"))
    if not is_missing(row.get("cluster_size")) and int(row["cluster_size"]) <= 1:
        cluster_rank = "–"  # Bangkok: in no cluster
    country_rank = format_rank(row.get("rank_country"), row.get("country_size"))
    english = language == "en"
    cells = [
        tag(
            "td",
            tag("div", escape(row[name_column(language)]), class_="kpi-name"),
            tag("div", escape(row["source_en" if english else "source_th"]), class_="kpi-sub"),
        ),
        tag(
            "td",
            tag("div", escape(format_value(value, decimals, unit)), class_="fw-semibold"),
            tag("div", escape(_period_text(row, language)), class_="kpi-sub"),
            class_="num",
        ),
        tag(
            "td",
            tag("div", escape(format_value(target, decimals, unit))),
            tag("div", escape(gap_text(row, language)), class_="kpi-sub"),
            class_="num",
        ),
        tag("td", escape(format_score(row.get("score"))), class_="num"),
        tag(
            "td",
            _badge_html(status_badge(row.get("status")), language, "status-pill"),
            tag("div", escape(missing_parts_text(row, language)), class_="kpi-sub rollup-missing")
            if row.get("missing_parts")
            else "",
        ),
        tag("td", _trend_cell(row, decimals, unit, language)),
        tag("td", escape(cluster_rank), class_="num", title=f"{t('rank_country', language)} {country_rank}"),
        tag(
            "td",
            _badge_html(
                FRESHNESS.get(row.get("freshness") or "missing", FRESHNESS["missing"]), language, "fresh-badge"
            ),
        ),
        tag("td", escape(row["owner_en" if english else "owner_th"]), class_="small"),
    ]
    return tag("tr", *cells, class_="kpi-row" + ("" if row.get("scored") else " kpi-monitored"), data_kpi=row["kpi_id"])


def kpi_table_html(card: pd.DataFrame, goals: pd.DataFrame, language: str, sort: str | None) -> str:
    """The KPIs grouped by goal, as one table (markup); each goal opens with a heading row
    (score, status, coverage), its scored KPIs, then the monitored ones."""
    goal_rows = goals.set_index("goal")
    groups = dict(order_kpis(card, sort))
    header = tag(
        "thead",
        tag(
            "tr",
            *(
                tag("th", escape(t(key, language)), class_=cls)
                for key, cls in (
                    ("kpi", None),
                    ("value", "num"),
                    ("target", "num"),
                    ("score", "num"),
                    ("status", None),
                    ("trend", None),
                    ("rank_cluster", "num"),
                    ("freshness", None),
                    ("owner", None),
                )
            ),
        ),
    )
    bodies = []
    for goal in order_goals(goals[goals["goal"] != "ALL"], sort):
        if goal not in groups:
            continue
        rows = groups[goal]
        summary = goal_rows.loc[goal] if goal in goal_rows.index else pd.Series(dtype=object)
        heading = tag(
            "tr",
            tag(
                "td",
                _goal_chip_html(goal),
                tag("span", escape(goal_name(goal, language)), class_="ms-2 me-3"),
                tag("span", escape(format_score(summary.get("score"))), class_="me-2"),
                _badge_html(status_badge(summary.get("status")), language, "status-pill"),
                tag(
                    "span",
                    escape(coverage_text(summary.get("kpis_present"), summary.get("kpis_scored"), language)),
                    class_="ms-3 small fw-normal text-muted",
                ),
                colspan="9",
            ),
            class_="goal-heading",
            id=f"goal-{goal}",
        )
        parts = [heading, *(kpi_row(r, language) for r in rows[rows["scored"]].to_dict("records"))]
        monitored = rows[~rows["scored"]]
        if not monitored.empty:
            parts.append(
                tag(
                    "tr",
                    tag(
                        "td",
                        escape(t("monitored", language).format(n=len(monitored))),
                        colspan="9",
                        class_="small text-muted fst-italic pt-2",
                    ),
                    class_="monitored-heading",
                )
            )
            parts.extend(kpi_row(r, language) for r in monitored.to_dict("records"))
        bodies.append(tag("tbody", *parts))
    return tag(
        "div",
        tag("table", header, *bodies, class_="table table-sm table-hover bg-white scorecard-table"),
        class_="table-responsive",
    )


def kpi_table(card: pd.DataFrame, goals: pd.DataFrame, language: str, sort: str | None) -> dcc.Markdown:
    """The KPI table as one component. It holds no controls, and ~80 rows of Dash components
    (~1,700 of them) make every later page update take seconds in the browser, where one block
    of markup takes milliseconds. Every text in it is escaped."""
    return dcc.Markdown(
        kpi_table_html(card, goals, language, sort), dangerously_allow_html=True, id="kpi-table", className="kpi-table"
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
) -> dbc.Card:
    """A district map of one KPI (bars when no district boundaries are imported); a click opens
    the district."""
    if measure is None or not kpi_options:
        body = [html.P(t("no_district_kpi", language), className="text-muted mb-0")]
    else:
        frame = frame.assign(
            href=[
                href(f"/district/{code}", {"lang": state.get("lang"), "period": state.get("period"), "kpi": kpi_value})
                for code in frame["area_code"]
            ]
        )
        if geojson and geojson.get("features"):
            figure = choropleth_figure(frame, geojson, measure, language, height=440)
            note = None
        else:
            figure = ranked_bars_figure(frame, measure, language)
            note = html.Div(t("no_district_boundaries", language), className="small text-muted")
        body = [
            selector(
                "kpi",
                t("choose_kpi", language),
                kpi_options,
                kpi_value,
                default=default_kpi,
                searchable=True,
                width="100%",
            ),
            dcc.Graph(
                id={"type": "area-map", "name": "districts"}, figure=figure, config=MAP_CONFIG, className="poc-map"
            ),
            html.Div(
                [html.I(className="bi bi-hand-index me-1"), t("click_district", language)], className="small text-muted"
            ),
            note,
        ]
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(t("district_map", language), className="h6 mb-0")),
            dbc.CardBody(body, className="p-2"),
        ],
        className="mb-3",
        id="district-map",
    )


# =========================================================================== the page body


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
            html.Div(
                [
                    html.Div(
                        [
                            html.H1(
                                province_name if is_capital else t("province_of", language).format(name=province_name),
                                className="h3 mb-0",
                            ),
                            html.Div(
                                [t("scorecard_capital" if is_capital else "scorecard", language), " · ", as_of_text],
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
    return html.Div(
        dbc.Alert(
            [
                html.H1([html.I(className="bi bi-geo-alt me-2"), t("not_found", language)], className="h4"),
                html.P(t("not_found_text", language).format(code=code)),
                dcc.Link(
                    [html.I(className="bi bi-arrow-left me-1"), t("back_to_overview", language)],
                    href=href("/", state),
                    className="btn btn-primary btn-sm",
                ),
            ],
            color="warning",
            className="mt-3",
        ),
        id="not-found",
    )
