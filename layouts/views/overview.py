"""The national overview: what the map shows, the map of the 77 provinces, the six goals
nationally, the best and worst provinces, and the 18 clusters. Pure: frames in, components out."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.rules.areas import local_terms, name_column
from layouts.components.chart_text import chart_figure
from layouts.figures import MAP_CONFIG, Measure
from layouts.figures.charts import map_chart
from layouts.text.format import format_score, href, province_link_state, status_badge, tag
from layouts.text.i18n import GOAL_NAMES, WORDS, format_number, t
from layouts.text.thai_breaks import breakable_markup
from layouts.views.page_parts import (
    as_of_line,
    card_title,
    coverage_text,
    goal_chip,
    goal_name,
    notices,
    page_heading,
    section_card,
    selector,
    status_pill,
)

RANKED = 10


# =========================================================================== sections


def national_goals_card(goals: pd.DataFrame, state: dict, show: str, language: str) -> dbc.Card:
    """The six goals and the overall score of the country: score, status (icon + word + colour),
    coverage. Each row puts that goal on the map."""
    order = [g for g in ["ALL", *GOAL_NAMES] if g in set(goals["goal"])]
    rows = goals.set_index("goal").loc[order].reset_index()
    items = []
    for row in rows.to_dict("records"):
        goal = row["goal"]
        items.append(
            dcc.Link(
                [
                    html.Div([goal_chip(goal, language)], className="goal-row-chip"),
                    html.Div(
                        [
                            html.Div(goal_name(goal, language), className="goal-row-name"),
                            html.Div(
                                coverage_text(row.get("kpis_present"), row.get("kpis_scored"), language),
                                className="kpi-sub",
                            ),
                        ],
                        className="flex-grow-1 me-2",
                    ),
                    html.Div(format_score(row.get("score")), className="goal-row-score num"),
                    html.Div(status_pill(row.get("status"), language), className="goal-row-status"),
                ],
                href=href("/", state, show=goal, level=None),
                className="goal-row" + (" active" if goal == show else ""),
                id=f"national-goal-{goal}",
            )
        )
    return section_card(t("national_goals", language), items, "national-goals")


def ranking_card(frame: pd.DataFrame, measure: Measure, state: dict, language: str) -> dbc.Card:
    """The best and the worst provinces on the measure (or the largest and smallest for a
    context figure), by the country rank the query layer gives: RANKED each at most, and never a
    province in both (a viewer's 17 provinces are the best 10 and the worst 7)."""
    context = measure.kind == "value" and measure.direction == "context"
    if context:  # never ranked: the largest and the smallest, by size
        ranked = frame.dropna(subset=[measure.column]).sort_values(
            [measure.column, "area_code"], ascending=[False, True]
        )
        ranked = ranked.assign(_position=range(1, len(ranked) + 1))
    else:
        ranked = frame.dropna(subset=["rank_country"]).sort_values(["rank_country", "area_code"])
        ranked = ranked.assign(_position=ranked["rank_country"])
    top_label, bottom_label = ("largest", "smallest") if context else ("best", "worst")
    top = ranked.head(RANKED)
    bottom = ranked.tail(min(RANKED, len(ranked) - len(top))).iloc[::-1]  # never a province of the top list
    columns = [
        tag(
            "div",
            _ranking_list(part, measure, state, language, t(label, language), f"ranking-{label}"),
            class_="col-md-6",
        )
        for part, label in ((top, top_label), (bottom, bottom_label))
        if not part.empty
    ]
    return section_card(
        card_title(t("ranking", language), measure.name(language)),
        markup_block(tag("div", *columns, class_="row"), "ranking-lists")
        if columns
        else html.P(t("no_data", language), className="text-muted mb-0"),
        "ranking",
    )


def markup_block(markup: str, element_id: str) -> dcc.Markdown:
    """Static markup as one component (see layouts.views.scorecard_table.kpi_table): the overview's 77
    province links and their rankings were ~400 Dash components, a third of a second of the
    browser's work on every visit. Its links carry `spa-link` (assets/navigation.js opens them
    in the page, as dcc.Link does). Its Thai lines break only between words."""
    return dcc.Markdown(breakable_markup(markup), dangerously_allow_html=True, id=element_id, className="markup-block")


def _pill_html(status: str | None, language: str) -> str:
    """`status_pill(compact=True)` as markup: the icon on the status colour, the word as its title."""
    badge = status_badge(status)
    return tag(
        "span",
        tag("i", class_=f"bi {badge.icon}", aria_hidden="true"),
        tag("span", escape(badge.word(language)), class_="visually-hidden"),
        class_="badge status-pill status-pill-compact",
        title=badge.word(language),
        style=f"background-color:{badge.colour};color:{badge.text_colour}",
        data_status=status or "no_data",
    )


def _ranking_list(part: pd.DataFrame, measure: Measure, state: dict, language: str, title: str, element_id: str) -> str:
    name = name_column(language)
    rows = [
        tag(
            "tr",
            tag("td", str(int(row["_position"])), class_="num text-muted"),
            tag(
                "td",
                tag(
                    "a",
                    escape(str(row[name])),
                    class_="spa-link",
                    href=href(f"/province/{row['area_code']}", province_link_state(state)),
                ),
            ),
            tag("td", escape(measure.format(row[measure.column], language, with_unit=False)), class_="num"),
            tag("td", _pill_html(row.get("status"), language), class_="text-center"),
        )
        for row in part.to_dict("records")
    ]
    head = tag(
        "thead",
        tag(
            "tr",
            tag("th", escape(t("rank", language)), class_="num"),
            tag("th", escape(t("province", language))),
            tag("th", escape(measure.unit(language)), class_="num"),
            tag("th", tag("span", escape(t("status", language)), class_="visually-hidden")),
        ),
    )
    return tag(
        "div",
        tag("h3", escape(title), class_="h6 small fw-semibold mb-1"),
        tag("table", head, tag("tbody", *rows), class_="table table-sm mb-2 ranking-table"),
        id=element_id,
    )


def clusters_section(
    clusters: pd.DataFrame, frame: pd.DataFrame, measure: Measure, state: dict, language: str
) -> html.Div:
    """The 18 clusters, each linking to its page, with its provinces showing their status on the
    measure (Bangkok, in no cluster, comes last)."""
    by_code = frame.set_index("area_code")
    name = name_column(language)
    cards = []
    shown = clusters[clusters["provinces"].map(lambda members: any(p in by_code.index for p in members)).astype(bool)]
    for cluster in shown.sort_values("number").to_dict("records"):
        title = str(cluster[name])
        for prefix in ("กลุ่มจังหวัด", " cluster"):
            title = title.replace(prefix, "")
        heading = tag(
            "a",
            tag("span", escape(t("cluster_n", language).format(n=cluster["number"])), class_="fw-semibold me-1"),
            tag("span", escape(title.strip())),
            href=href(f"/cluster/{cluster['number']}", province_link_state(state)),
            class_="cluster-link spa-link",
        )
        cards.append(
            _cluster_card(heading, cluster["provinces"], by_code, state, language, f"cluster-{cluster['number']}")
        )
    in_no_cluster = sorted(set(by_code.index) - {p for members in clusters["provinces"] for p in members})
    if in_no_cluster:
        cards.append(
            _cluster_card(
                tag("span", escape(t("no_cluster", language)), class_="fw-semibold"),
                in_no_cluster,
                by_code,
                state,
                language,
                "cluster-none",
            )
        )
    return html.Div(
        [
            html.H2(count_text("n_clusters", len(shown), language), className="h5 mt-2"),
            html.P(t("clusters_note", language).format(measure=measure.name(language)), className="small text-muted"),
            markup_block(tag("div", *cards, class_="row g-2"), "cluster-cards"),
        ],
        id="clusters",
    )


def _cluster_card(
    heading: str, provinces: Sequence[str], by_code: pd.DataFrame, state: dict, language: str, element_id: str
) -> str:
    name = name_column(language)
    chips = []
    for code in provinces:
        if code not in by_code.index:
            continue
        row = by_code.loc[code]
        badge = status_badge(row.get("status"))
        chips.append(
            tag(
                "a",
                tag("i", class_=f"bi {badge.icon} me-1", aria_hidden="true"),
                escape(str(row[name])),
                href=href(f"/province/{code}", province_link_state(state)),
                class_="province-chip spa-link",
                title=badge.word(language),
                style=f"background-color:{badge.colour};color:{badge.text_colour}",
            )
        )
    body = tag(
        "div", tag("div", heading, class_="small mb-1 cluster-title"), tag("div", *chips), class_="card-body p-2"
    )
    return tag(
        "div", tag("div", body, class_="card h-100"), class_="col-xl-2 col-lg-3 col-md-4 col-sm-6", id=element_id
    )


def count_text(key: str, n: int, language: str) -> str:
    """ "77 จังหวัด" / "77 provinces": a count of what the viewer is shown (`key` of
    layouts.text.view_words; its `_one` form for one, its `_none` form, where it has one, for none)."""
    form = f"{key}_one" if n == 1 else f"{key}_none" if n == 0 and f"{key}_none" in WORDS else key
    return t(form, language).format(n=format_number(n))


def overview_heading(
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    show_options: Sequence[tuple[str, str]],
    show_value: str,
    level_value: str,
    as_of_text: str,
    language: str,
    counts: dict[str, int],
) -> html.Div:
    """The title and as-of line, and the three selectors: the period, what the map shows, and
    whether it shows provinces or districts (as many as the viewer may see, `counts`)."""
    level_options = [
        ("province", count_text("n_provinces", counts["province"], language)),
        ("district", local_terms(count_text("n_districts", counts["district"], language), counts.get("place"))),
    ]
    return page_heading(
        [html.H1(t("overview_title", language), className="h4 mb-0"), as_of_line(as_of_text)],
        period_options,
        period_value,
        language,
        selector(
            "show", t("map_shows", language), show_options, show_value, default="ALL", searchable=True, width="30rem"
        ),
        selector("level", t("map_level", language), level_options, level_value, default="province", width="11rem"),
    )


def map_card(
    provinces: pd.DataFrame,
    geojson: dict,
    is_tilegrid: bool,
    district_map: tuple[pd.DataFrame, dict] | None,
    measure: Measure,
    state: dict,
    language: str,
    counts: dict[str, int],
) -> dbc.Card:
    """The map of the measure: the provinces, each opening its scorecard, or with `district_map`
    the districts, each opening its district page; the tile grid's note where it stands in for
    the province boundaries."""
    if district_map is not None:
        districts, shapes = district_map
        map_frame = districts.assign(
            href=[href(f"/district/{code}", province_link_state(state)) for code in districts["area_code"]]
        )
        where = local_terms(count_text("n_districts", counts["district"], language), counts.get("place"))
        click_hint = t("click_district", language)
    else:
        map_frame = provinces.assign(
            href=[href(f"/province/{code}", province_link_state(state)) for code in provinces["area_code"]]
        )
        shapes = geojson
        where, click_hint = count_text("n_provinces", counts["province"], language), t("click_province", language)
    title = t("chart_across", language).format(name=measure.name(language), where=where)
    chart = map_chart(map_frame, shapes, measure, language, title=title, height=700)
    notes = [
        html.Div([html.I(className="bi bi-hand-index me-1"), click_hint], className="small text-muted"),
        html.Div(t("tilegrid_note", language), className="small text-muted")
        if is_tilegrid and district_map is None
        else None,
    ]
    return section_card(
        html.H2(measure.name(language), className="h6 mb-0", id="map-title"),
        chart_figure(
            chart,
            "map-figure",
            language,
            graph_id={"type": "area-map", "name": "provinces"},
            config=MAP_CONFIG,
            className="poc-map",
            extra=html.Div(notes),
        ),
    )


# =========================================================================== the page body


def create_overview(
    *,
    language: str,
    state: dict,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    show_options: Sequence[tuple[str, str]],
    show_value: str,
    measure: Measure,
    provinces: pd.DataFrame,
    geojson: dict,
    is_tilegrid: bool,
    national_goals: pd.DataFrame,
    clusters: pd.DataFrame,
    as_of_text: str,
    messages: Sequence[str] = (),
    district_map: tuple[pd.DataFrame, dict] | None = None,
    counts: dict[str, int] | None = None,
) -> html.Div:
    """The page body. `provinces` has one row per province for the measure: area_code, names,
    cluster_code, the measure's column (score or value), status, rank_country/country_size,
    rank_cluster/cluster_size. With `district_map` (the 928 districts' values and boundaries)
    the map shows districts, each opening its district page; the rest stays by province.
    `counts`: how many provinces and districts the viewer may see (by default, the provinces of
    `provinces` and the districts of `district_map`), and `place`, the one province shown, if one
    (Bangkok's districts are เขต)."""
    level_value = "district" if district_map is not None else "province"
    counts = counts or {"province": len(provinces), "district": len(district_map[0]) if district_map else 0}
    return html.Div(
        [
            overview_heading(
                period_options, period_value, show_options, show_value, level_value, as_of_text, language, counts
            ),
            *notices(messages),
            dbc.Row(
                [
                    dbc.Col(
                        map_card(provinces, geojson, is_tilegrid, district_map, measure, state, language, counts),
                        lg=5,
                    ),
                    dbc.Col(
                        [
                            national_goals_card(national_goals, state, show_value, language),
                            ranking_card(provinces, measure, state, language),
                        ],
                        lg=7,
                    ),
                ]
            ),
            clusters_section(clusters, provinces, measure, state, language),
        ],
        id="overview",
    )
