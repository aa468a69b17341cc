"""The province scorecard's KPI table: the KPIs grouped by goal, in catalog order or worst first,
each row with value and period, target and gap, score, status, trend, rank, freshness and owner.
One block of escaped markup (see `kpi_table`). Pure: frames in, markup out."""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
from dash import dcc

from data.rules.areas import name_column
from data.rules.periods import Period
from layouts.components.scroll import scroll_box
from layouts.figures import sparkline_svg
from layouts.text.format import (
    FRESHNESS,
    TREND,
    format_rank,
    format_score,
    gap_text,
    is_missing,
    missing_parts_text,
    status_badge,
    tag,
)
from layouts.text.i18n import GOAL_NAMES, format_value, t
from layouts.theme import GOAL_COLOURS
from layouts.views.page_parts import coverage_text, goal_name

GOALS = tuple(GOAL_NAMES)
WORST_FIRST = "worst"
KPI_COLUMNS = (  # (the column's word, its cell class)
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
    """The goals present, in catalog order, or worst first (lowest score first, goals without a
    score last): the order of the goal tiles and of the table's groups."""
    present = [g for g in GOALS if g in set(goals["goal"])]
    if sort != WORST_FIRST:
        return present
    scores = goals.set_index("goal")["score"]
    return sorted(
        present, key=lambda g: (is_missing(scores.get(g)), scores.get(g) if not is_missing(scores.get(g)) else 0)
    )


# =========================================================================== the KPI table


def badge_html(badge, language: str, class_name: str) -> str:
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


def trend_cell(row: dict, decimals: int, unit: str, language: str) -> str:
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


def kpi_numbers(row: dict, language: str) -> tuple[str, int, float | None, float | None]:
    """A KPI row's unit (in the language), decimals, value and target (None where missing)."""
    unit = row["unit_en"] if language == "en" else row["unit_th"]
    decimals = int(row.get("decimals") or 0)
    value = None if is_missing(row.get("value")) else float(row["value"])
    target = None if is_missing(row.get("target")) else float(row["target"])
    return unit, decimals, value, target


def value_cell(row: dict, value: float | None, decimals: int, unit: str, language: str) -> str:
    """The KPI's value with its unit, and under it the period it is of."""
    return tag(
        "td",
        tag("div", escape(format_value(value, decimals, unit)), class_="fw-semibold"),
        tag("div", escape(_period_text(row, language)), class_="kpi-sub"),
        class_="num",
    )


def kpi_tr(row: dict, cells: list[str], language: str) -> str:
    """A KPI's table row: `cells`, then its freshness and owner (monitored KPIs marked as such)."""
    cells = [
        *cells,
        tag(
            "td",
            badge_html(FRESHNESS.get(row.get("freshness") or "missing", FRESHNESS["missing"]), language, "fresh-badge"),
        ),
        tag("td", escape(row["owner_en" if language == "en" else "owner_th"]), class_="small"),
    ]
    return tag("tr", *cells, class_="kpi-row" + ("" if row.get("scored") else " kpi-monitored"), data_kpi=row["kpi_id"])


def kpi_row(row: dict, language: str) -> str:
    """One KPI as a table row (markup): value with unit and period, target, score, status (icon +
    word), trend (sparkline + word), rank in the cluster, freshness and owner."""
    unit, decimals, value, target = kpi_numbers(row, language)
    cluster_rank = format_rank(row.get("rank_cluster"), row.get("cluster_size"))
    if not is_missing(row.get("cluster_size")) and int(row["cluster_size"]) <= 1:
        cluster_rank = "–"  # a cluster of one
    country_rank = format_rank(row.get("rank_country"), row.get("country_size"))
    cells = [
        tag(
            "td",
            tag("div", escape(row[name_column(language)]), class_="kpi-name"),
            tag("div", escape(row["source_en" if language == "en" else "source_th"]), class_="kpi-sub"),
        ),
        value_cell(row, value, decimals, unit, language),
        tag(
            "td",
            tag("div", escape(format_value(target, decimals, unit))),
            tag("div", escape(gap_text(row, language)), class_="kpi-sub"),
            class_="num",
        ),
        tag("td", escape(format_score(row.get("score"))), class_="num"),
        tag(
            "td",
            badge_html(status_badge(row.get("status")), language, "status-pill"),
            tag("div", escape(missing_parts_text(row, language)), class_="kpi-sub rollup-missing")
            if row.get("missing_parts")
            else "",
        ),
        tag("td", trend_cell(row, decimals, unit, language)),
        tag("td", escape(cluster_rank), class_="num", title=f"{t('rank_country', language)} {country_rank}"),
    ]
    return kpi_tr(row, cells, language)


def in_no_cluster(card: pd.DataFrame) -> bool:
    """A province in no cluster (Bangkok): no KPI of its card has a cluster of more than one."""
    sizes = pd.to_numeric(card.get("cluster_size", pd.Series(dtype=float)), errors="coerce")
    return bool(len(card)) and not (sizes > 1).any()


def kpi_header(columns: tuple, language: str) -> str:
    """A KPI table's header row (a thead) of `columns`, (word, class) pairs."""
    return tag("thead", tag("tr", *(tag("th", escape(t(key, language)), class_=cls) for key, cls in columns)))


def kpi_table_html(card: pd.DataFrame, goals: pd.DataFrame, language: str, sort: str | None) -> str:
    """The KPIs grouped by goal, as one table (markup); each goal opens with a heading row
    (score, status, coverage), its scored KPIs, then the monitored ones."""
    goal_rows = goals.set_index("goal")
    columns = KPI_COLUMNS
    if in_no_cluster(card) and "rank_country" in card:  # Bangkok: its KPIs ranked in the country
        card = card.assign(rank_cluster=card["rank_country"], cluster_size=card["country_size"])
        columns = tuple(("rank_country", cls) if key == "rank_cluster" else (key, cls) for key, cls in KPI_COLUMNS)
    groups = dict(order_kpis(card, sort))
    header = kpi_header(columns, language)
    bodies = [
        goal_group_html(
            goal, groups[goal], goal_rows.loc[goal] if goal in goal_rows.index else pd.Series(dtype=object), language
        )
        for goal in order_goals(goals[goals["goal"] != "ALL"], sort)
        if goal in groups
    ]
    table = tag("table", header, *bodies, class_="table table-sm table-hover bg-white scorecard-table")
    return scroll_box(table, t("kpis_by_goal", language))


def goal_group_html(goal: str, rows: pd.DataFrame, summary: pd.Series, language: str) -> str:
    """One goal's rows of the table (a tbody): its heading (chip, name, score, status, coverage),
    its scored KPIs, then a line naming the monitored ones and those."""
    heading = tag(
        "tr",
        tag(
            "td",
            tag(
                "div",  # stays in view while the row scrolls sideways (assets/poc.css)
                _goal_chip_html(goal),
                tag("span", escape(goal_name(goal, language)), class_="ms-2 me-3"),
                tag("span", escape(format_score(summary.get("score"))), class_="me-2"),
                badge_html(status_badge(summary.get("status")), language, "status-pill"),
                tag(
                    "span",
                    escape(coverage_text(summary.get("kpis_present"), summary.get("kpis_scored"), language)),
                    class_="ms-3 small fw-normal text-muted",
                ),
                class_="row-head",
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
    return tag("tbody", *parts)


def kpi_table(card: pd.DataFrame, goals: pd.DataFrame, language: str, sort: str | None) -> dcc.Markdown:
    """The KPI table as one component. It holds no controls, and ~80 rows of Dash components
    (~1,700 of them) make every later page update take seconds in the browser, where one block
    of markup takes milliseconds. Every text in it is escaped."""
    return dcc.Markdown(
        kpi_table_html(card, goals, language, sort), dangerously_allow_html=True, id="kpi-table", className="kpi-table"
    )
