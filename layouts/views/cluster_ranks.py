"""The cluster page's ranks table: the member provinces on what is compared (a goal's score or
a KPI's value), best first, each with its status, the gap to the cluster's best and its rank in
the country (a context figure is listed by size, unranked). Pure: frames in, components out."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.rules.areas import name_column
from layouts.components.scroll import scroll_region
from layouts.figures import Measure
from layouts.text.format import format_rank, format_score, href, is_missing, province_link_state
from layouts.text.i18n import t
from layouts.views.page_parts import card_title, section_card, status_pill


def rank_rows(show: str, comparison: pd.DataFrame, goal_scores: pd.DataFrame) -> pd.DataFrame:
    """One row per member province on what is compared: value (a KPI's, or the goal score),
    score, status, ranks and the gap to the cluster's best, best first, no data last."""
    if show.startswith("kpi:"):
        rows = comparison[comparison["kpi_id"] == show[4:]].copy()
        if not rows.empty and (rows["direction"] == "context").all():  # never ranked: listed by size
            return rows.sort_values(["value", "area_code"], ascending=[False, True], na_position="last", kind="stable")
    else:
        rows = goal_scores[goal_scores["goal"] == show].copy()
        rows["value"] = rows["score"]
    rows["_unranked"] = rows["rank_cluster"].isna()
    return rows.sort_values(["_unranked", "rank_cluster", "area_code"], kind="stable").drop(columns="_unranked")


def ranks_card(rows: pd.DataFrame, measure: Measure, head: str | None, state: dict, language: str) -> dbc.Card:
    """Rank in the cluster, value with its unit (or the score), status, gap to the best province
    with its unit, rank in the country; each province links to its scorecard."""
    is_kpi = measure.kind == "value"
    context = is_kpi and measure.direction == "context"
    link_state = province_link_state(state)
    largest = rows["value"].max() if context and len(rows) else None
    body = []
    for position, row in enumerate(rows.to_dict("records"), start=1):
        rank, gap = row.get("rank_cluster"), row.get("gap_to_best_cluster")
        if context:  # a size order, labelled as such: no rank, no "best"
            rank = None if is_missing(row.get("value")) else position
            gap = None if is_missing(row.get("value")) else largest - float(row["value"])
        body.append(_rank_row(row, rank, _gap_text(rank, gap, measure, language), measure, head, link_state, language))
    header = [
        t("size_order" if context else "rank", language),
        t("province", language),
        t("value", language) if is_kpi else t("score", language),
        t("score", language) if is_kpi else None,
        t("status", language),
        t("gap_to_largest" if context else "gap_to_best", language),
        t("rank_country", language),
    ]
    return section_card(
        card_title(t("ranks_and_gaps", language), measure.name(language)),
        scroll_region(
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h, className="num" if i in (0, 2, 3, 5, 6) else None)
                                for i, h in enumerate(header)
                                if h is not None
                            ]
                        )
                    ),
                    html.Tbody(body),
                ],
                className="table table-sm mb-0 cluster-ranks",
            ),
            t("ranks_and_gaps", language),
        ),
        "cluster-ranks",
    )


def _gap_text(rank, gap, measure: Measure, language: str) -> str:
    """The gap to the best (or, for a context figure, the largest) province: in the KPI's unit,
    in points of score, or "best in cluster" for the first."""
    context = measure.kind == "value" and measure.direction == "context"
    if is_missing(rank) or is_missing(gap):
        return "–"
    if int(rank) == 1:
        return t("largest_in_cluster" if context else "best_in_cluster", language)
    if measure.kind == "value":
        return measure.format(gap, language)
    return f"{format_score(gap)} {t('points', language)}"


def _rank_row(
    row: dict, rank, gap_text: str, measure: Measure, head: str | None, link_state: dict, language: str
) -> html.Tr:
    """One province of the ranks table (the head province starred)."""
    is_kpi = measure.kind == "value"
    code = row["area_code"]
    return html.Tr(
        [
            html.Td("–" if is_missing(rank) else str(int(rank)), className="num"),
            html.Td(
                [
                    dcc.Link(row[name_column(language)], href=href(f"/province/{code}", link_state)),
                    html.I(className="bi bi-star-fill text-warning ms-1", title=t("head_province", language))
                    if code == head
                    else None,
                ]
            ),
            html.Td(measure.format(row.get("value"), language), className="num fw-semibold"),
            html.Td(format_score(row.get("score")), className="num") if is_kpi else None,
            html.Td(status_pill(row.get("status"), language)),
            html.Td(gap_text, className="num"),
            html.Td(format_rank(row.get("rank_country"), row.get("country_size")), className="num text-muted"),
        ],
        id=f"rank-{code}",
    )
