"""The wall screen's slides of scores and lists: overall score and the six goals, off-target
KPIs worst first, and area hotspots, with the small pieces every slide shares (status pill, goal
chip, a row's name and value). The slides drawn as figures, the map and the trends, are
`layouts.views.wall_chart_slides`. Pure: frames from the query layer in; (markup, {}) out.

Slides are markup (see `layouts.text.format.tag`) because the browser swaps them in on each data
refresh without Dash; lists carry every row and `assets/wall.js` shows as many as fit.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from data.rules.areas import name_column
from layouts.figures import sparkline_svg
from layouts.text.format import TREND, format_rank, format_score, is_missing, status_badge, tag
from layouts.text.i18n import GOAL_NAMES, format_value, pick, t
from layouts.theme import GOAL_COLOURS, WALL_CHIP
from layouts.views.page_parts import coverage_text

# =========================================================================== small pieces


def pill(status: str | None, language: str) -> str:
    """Icon + word on the status colour (never colour alone)."""
    badge = status_badge(status)
    return tag(
        "span",
        tag("i", class_=f"bi {badge.icon}", aria_hidden="true"),
        " ",
        escape(badge.word(language)),
        class_="wall-pill",
        style=f"background:{badge.colour};color:{badge.text_colour}",
        data_status=status or "no_data",
    )


def goal_chip(goal: str) -> str:
    return tag("span", escape(goal), class_="wall-chip", style=f"background:{GOAL_COLOURS.get(goal, WALL_CHIP)}")


def row_name(row: dict, language: str) -> str:
    """The row's name in the language (an area's or a KPI's), else its area code."""
    return str(row.get(name_column(language)) or row.get("area_code") or "")


def _unit(row: dict, language: str) -> str:
    return str(row.get("unit_en" if language == "en" else "unit_th") or "")


def _value(row: dict, key: str, language: str) -> str:
    value = row.get(key)
    decimals = 0 if is_missing(row.get("decimals")) else int(row["decimals"])
    return format_value(None if is_missing(value) else float(value), decimals, _unit(row, language))


def more_note(kind: str) -> str:
    """The "and N more" line under a list; wall.js writes N when rows do not fit."""
    return tag("div", class_="wall-more", data_more=kind, hidden=True)


# =========================================================================== goals


def goals_slide(goals: pd.DataFrame, ranks: pd.DataFrame | None, language: str) -> tuple[str, dict]:
    """The overall score (big, with status, ranks and coverage) and the six goals as tiles."""
    by_goal = goals.set_index("goal")
    goal_ranks = ranks.set_index("goal") if ranks is not None and not ranks.empty else pd.DataFrame()
    overall = by_goal.loc["ALL"].to_dict() if "ALL" in by_goal.index else {}
    rank = goal_ranks.loc["ALL"].to_dict() if "ALL" in goal_ranks.index else {}
    places = [place for place in (_in_cluster(rank, language), _in_country(rank, language)) if place]
    overall_box = tag(
        "div",
        tag("div", escape(t("overall_score", language)), class_="wall-label"),
        tag("div", escape(format_score(overall.get("score"))), class_="wall-big-score", id="wall-overall-score"),
        tag("div", pill(overall.get("status"), language)),
        tag("div", escape(t("rank", language) + " " + " · ".join(places)), class_="wall-rank") if places else "",
        tag(
            "div",
            escape(coverage_text(overall.get("kpis_present"), overall.get("kpis_scored"), language)),
            class_="wall-coverage",
        ),
        class_="wall-overall",
        style=f"--status-colour:{status_badge(overall.get('status')).colour}",
    )
    tiles = [
        _goal_tile(
            goal,
            by_goal.loc[goal].to_dict() if goal in by_goal.index else {"status": "no_data"},
            _in_cluster(goal_ranks.loc[goal], language) if goal in goal_ranks.index else "",
            language,
        )
        for goal in GOAL_NAMES
    ]
    return tag("div", overall_box, tag("div", *tiles, class_="wall-goal-grid"), class_="wall-goals"), {}


def _goal_tile(goal: str, row: dict, place: str, language: str) -> str:
    """One goal: chip and status, name, score, coverage and its place in the cluster."""
    coverage = coverage_text(row.get("kpis_present"), row.get("kpis_scored"), language)
    return tag(
        "div",
        tag("div", goal_chip(goal), pill(row.get("status"), language), class_="wall-goal-head"),
        tag("div", escape(pick(GOAL_NAMES[goal], language)), class_="wall-goal-name"),
        tag("div", escape(format_score(row.get("score"))), class_="wall-goal-score"),
        tag("div", escape(" · ".join(p for p in (coverage, place) if p)), class_="wall-goal-foot"),
        class_="wall-goal",
        data_goal=goal,
        style=f"--status-colour:{status_badge(row.get('status')).colour}",
    )


def _in_cluster(rank, language: str) -> str:
    """ "2/4 in cluster" where ranked in a cluster of more than one province, else ""."""
    if not is_missing(rank.get("rank_cluster")) and (rank.get("cluster_size") or 0) > 1:
        return t("in_cluster", language).format(rank=format_rank(rank["rank_cluster"], rank["cluster_size"]))
    return ""


def _in_country(rank, language: str) -> str:
    """ "5/77 in Thailand" where ranked in the country, else ""."""
    if not is_missing(rank.get("rank_country")):
        return t("in_country", language).format(rank=format_rank(rank["rank_country"], rank["country_size"]))
    return ""


# =========================================================================== exceptions


def off_target(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's off-target KPIs, worst (lowest score) first."""
    rows = card[card["status"] == "off_target"]
    return rows.sort_values(["score", "goal", "kpi_id"], kind="stable").reset_index(drop=True)


def exceptions_slide(card: pd.DataFrame, language: str) -> tuple[str, dict]:
    """Off-target KPIs worst first: goal, name and owner, value against target, score and status,
    trend; the count of all of them on top."""
    rows = off_target(card)
    total = int((card["scored"] & card["score"].notna()).sum()) if "scored" in card else len(card)
    summary = tag(
        "div",
        escape(
            t("wall_off_target_count", language).format(n=len(rows), total=total)
            if len(rows)
            else t("wall_none_off_target", language)
        ),
        class_="wall-summary",
    )
    items = [exception_row(row, language) for row in rows.to_dict("records")]
    listing = tag("div", *items, class_="wall-list wall-fit", data_more="kpis") if items else ""
    return tag("div", summary, listing, more_note("kpis"), class_="wall-exceptions"), {}


def exception_row(row: dict, language: str) -> str:
    """One off-target KPI: goal chip, name and owner, value against target, score and status,
    sparkline and trend word."""
    trend = TREND.get(str(row.get("trend") or ""))
    owner = row.get("owner_en" if language == "en" else "owner_th") or ""
    return tag(
        "div",
        tag("div", goal_chip(str(row["goal"])), class_="wall-cell-goal"),
        tag(
            "div",
            tag("div", escape(row_name(row, language)), class_="wall-kpi-name"),
            tag("div", escape(str(owner)), class_="wall-kpi-owner"),
            class_="wall-cell-name",
        ),
        tag(
            "div",
            tag("div", escape(_value(row, "value", language)), class_="wall-kpi-value"),
            tag(
                "div",
                escape(t("target", language) + " " + _value(row, "target", language)),
                class_="wall-kpi-target",
            ),
            class_="wall-cell-value",
        ),
        tag(
            "div",
            tag("div", escape(format_score(row.get("score"))), class_="wall-kpi-score"),
            pill(row.get("status"), language),
            class_="wall-cell-score",
        ),
        tag(
            "div",
            sparkline_svg(
                row.get("trend_values") or (),
                row.get("status"),
                width=160,
                height=48,
                label=trend.word(language) if trend else "",
            ),
            tag(
                "div",
                escape(f"{trend.symbol} {trend.word(language)}"),
                class_="wall-trend-word",
                data_trend=str(row.get("trend")),  # its colour per theme: assets/wall.css
            )
            if trend
            else "",
            class_="wall-cell-trend",
        ),
        class_="wall-row wall-kpi-row",
        data_kpi=row["kpi_id"],
        style=f"--status-colour:{status_badge(row.get('status')).colour}",
    )


# =========================================================================== hotspots


def area_hotspots(
    values: pd.DataFrame, names: pd.DataFrame, kpi_names: dict[str, tuple[str, str]], overall: pd.Series | None = None
) -> pd.DataFrame:
    """Areas ranked worst first: per area (rows of area_code, kpi_id, score, status) the number of
    off-target KPIs, the number scored, the mean score (or `overall`, by area code, when given)
    and its worst KPI. Ordered by the overall score when given, else by off-target KPIs then
    mean score."""
    scored = values.dropna(subset=["score"])
    if scored.empty:
        return pd.DataFrame(
            columns=[
                "area_code",
                "name_th",
                "name_en",
                "off_target",
                "scored",
                "score",
                "status",
                "worst_th",
                "worst_en",
            ]
        )
    grouped = scored.groupby("area_code")
    out = pd.DataFrame(
        {
            "off_target": grouped["status"].apply(lambda s: int((s == "off_target").sum())),
            "scored": grouped["score"].count(),
            "score": grouped["score"].mean(),
        }
    )
    worst = scored.sort_values(["score", "kpi_id"]).drop_duplicates("area_code").set_index("area_code")["kpi_id"]
    out["worst_th"] = worst.map(lambda k: kpi_names.get(k, (k, k))[0])
    out["worst_en"] = worst.map(lambda k: kpi_names.get(k, (k, k))[1])
    if overall is not None:
        out["score"] = overall.reindex(out.index)
    out = out.reset_index()
    out["name_th"] = out["area_code"].map(names["name_th"])
    out["name_en"] = out["area_code"].map(names["name_en"])
    if overall is not None:
        out = out.sort_values(["score", "off_target", "area_code"], ascending=[True, False, True], na_position="last")
    else:
        out = out.sort_values(["off_target", "score", "area_code"], ascending=[False, True, True])
    return out.reset_index(drop=True)


def status_of_score(score, watch: float, on_target: float) -> str:
    if is_missing(score):
        return "no_data"
    return "on_target" if score >= on_target else "watch" if score >= watch else "off_target"


def hotspots_slide(hotspots: pd.DataFrame, language: str, *, watch: float, on_target: float) -> tuple[str, dict]:
    """The areas that need attention most, worst first: name, (mean or overall) score and status,
    how many KPIs are off target, and the worst one; up to six areas (a cluster's provinces) share
    the screen's height in larger type (`wall-list-few`)."""
    if hotspots.empty:
        return tag("div", escape(t("wall_no_hotspots", language)), class_="wall-message"), {}
    items = []
    for position, row in enumerate(hotspots.to_dict("records"), start=1):
        status = status_of_score(row.get("score"), watch, on_target)
        items.append(
            tag(
                "div",
                tag("div", str(position), class_="wall-hot-rank"),
                tag(
                    "div",
                    tag("div", escape(row_name(row, language)), class_="wall-hot-name"),
                    tag(
                        "div",
                        escape(
                            t("wall_worst_kpi", language)
                            + ": "
                            + str(row.get("worst_en" if language == "en" else "worst_th") or "–")
                        ),
                        class_="wall-hot-worst",
                    ),
                    class_="wall-cell-name",
                ),
                tag(
                    "div",
                    tag("div", escape(format_score(row.get("score"))), class_="wall-kpi-score"),
                    pill(status, language),
                    class_="wall-cell-score",
                ),
                tag(
                    "div",
                    tag("div", escape(f"{int(row['off_target'])}/{int(row['scored'])}"), class_="wall-hot-count"),
                    tag("div", escape(t("wall_off_target_kpis", language)), class_="wall-hot-count-label"),
                    class_="wall-cell-count",
                ),
                class_="wall-row wall-hot-row",
                data_area=row["area_code"],
                style=f"--status-colour:{status_badge(status).colour}",
            )
        )
    return tag(
        "div",
        tag(
            "div",
            *items,
            class_="wall-list wall-fit" + (" wall-list-few" if len(items) <= 6 else ""),
            data_more="areas",
        ),
        more_note("areas"),
        class_="wall-hotspots",
    ), {}


__all__ = [
    "area_hotspots",
    "exceptions_slide",
    "goals_slide",
    "hotspots_slide",
    "off_target",
    "pill",
    "row_name",
]
