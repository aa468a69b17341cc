"""The wall screen's slides as markup and figures: overall score and the six goals, off-target
KPIs worst first, a map of a headline KPI, trends of key KPIs, and area hotspots. Pure: frames
from the query layer in; (markup, {name: figure}) out, the figures from `layouts.figures`.

Slides are markup (see `layouts.text.format.tag`) because the browser swaps them in on each data
refresh without Dash; lists carry every row and `assets/wall.js` shows as many as fit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

import pandas as pd
import plotly.graph_objects as go
import plotly.io

from data.rules.areas import name_column
from layouts.figures import Measure, choropleth_figure, ranked_bars_figure, series_figure, sparkline_svg
from layouts.text.format import TREND, format_rank, format_score, is_missing, status_badge, tag
from layouts.text.i18n import GOAL_NAMES, format_value, pick, t
from layouts.theme import GOAL_COLOURS, LINE, WALL_CHIP, WALL_COLOURS, WALL_FONT_SIZE
from layouts.views.overview import coverage_text

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


def wall_figure(figure: go.Figure, theme: str) -> dict:
    """A figure of the figure builder, made to fill its box on the wall in the theme's colours,
    as plain JSON for Plotly.newPlot in the browser."""
    colours = WALL_COLOURS.get(theme, WALL_COLOURS["light"])
    figure.update_layout(height=None, width=None, autosize=True, font=dict(size=WALL_FONT_SIZE, color=colours["text"]))
    figure.update_xaxes(gridcolor=colours["grid"], linecolor=colours["grid"])
    figure.update_yaxes(gridcolor=colours["grid"], linecolor=colours["grid"])
    if any(trace.type == "bar" for trace in figure.data):  # room for the value written after each bar
        figure.update_layout(margin=dict(r=170))
    for trace in figure.data:
        if trace.type == "choropleth":
            trace.marker.line.color = colours["border"]
        elif trace.type == "scatter" and trace.line and trace.line.color == LINE:
            trace.line.color = colours["line"]
        elif trace.type == "scatter" and trace.line and trace.line.dash == "dash":  # the target line
            trace.line.color = colours["target"]
        if trace.type == "choropleth" and trace.colorbar is not None:
            trace.colorbar.tickfont = dict(color=colours["text"])
    return json.loads(plotly.io.to_json(figure, validate=False))


def figure_box(name: str) -> str:
    """Where wall.js draws figure `name` of the slide."""
    return tag("div", class_="wall-figure", data_figure=name)


def _name(row: dict, language: str) -> str:
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
    items = []
    for row in rows.to_dict("records"):
        trend = TREND.get(str(row.get("trend") or ""))
        owner = row.get("owner_en" if language == "en" else "owner_th") or ""
        items.append(
            tag(
                "div",
                tag("div", goal_chip(str(row["goal"])), class_="wall-cell-goal"),
                tag(
                    "div",
                    tag("div", escape(_name(row, language)), class_="wall-kpi-name"),
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
                        style=f"color:{trend.colour}",
                    )
                    if trend
                    else "",
                    class_="wall-cell-trend",
                ),
                class_="wall-row wall-kpi-row",
                data_kpi=row["kpi_id"],
                style=f"--status-colour:{status_badge(row.get('status')).colour}",
            )
        )
    listing = tag("div", *items, class_="wall-list wall-fit", data_more="kpis") if items else ""
    return tag("div", summary, listing, more_note("kpis"), class_="wall-exceptions"), {}


# =========================================================================== map


def subset_features(geojson: dict, codes: Sequence[str]) -> dict:
    """The features of `codes` only, with their own bbox (so a cluster's tiles fill the map)."""
    wanted = set(codes)
    features = [f for f in geojson.get("features", []) if f.get("id") in wanted]
    subset = {**geojson, "features": features}
    points = [point for f in features for point in _points(f.get("geometry", {}).get("coordinates", []))]
    if points:
        xs, ys = zip(*points)
        subset["bbox"] = [min(xs), min(ys), max(xs), max(ys)]
    else:
        subset.pop("bbox", None)
    return subset


def _points(coordinates):
    if len(coordinates) and isinstance(coordinates[0], (int, float)):
        yield tuple(coordinates[:2])
        return
    for part in coordinates:
        yield from _points(part)


def map_slide(
    frame: pd.DataFrame, geojson: dict | None, measure: Measure, here: dict | None, language: str, theme: str
) -> tuple[str, dict]:
    """A choropleth of the headline KPI over the areas in `frame` (bars where no boundaries are
    imported), beside this area's own value and the best and worst areas."""
    has_map = bool(geojson and geojson.get("features"))
    figure = (
        choropleth_figure(frame, geojson, measure, language)
        if has_map
        else ranked_bars_figure(frame, measure, language)
    )
    side = [
        tag("div", escape(measure.name(language)), class_="wall-map-kpi"),
        tag("div", escape(measure.unit(language)), class_="wall-map-unit"),
    ]
    if here:
        side.append(
            tag(
                "div",
                tag(
                    "div",
                    escape(t("wall_map_area_value", language).format(name=_name(here, language))),
                    class_="wall-label",
                ),
                tag(
                    "div",
                    escape(measure.format(here.get(measure.column), language, with_unit=False)),
                    class_="wall-map-value",
                ),
                pill(here.get("status"), language),
                class_="wall-map-here",
            )
        )
    ranked = frame.dropna(subset=[measure.column])
    if measure.kind == "value" and measure.direction == "context":
        order = ranked.sort_values(measure.column, ascending=False)
    elif "score" in ranked and ranked["score"].notna().any():
        order = ranked.sort_values(["score", measure.column], ascending=[False, measure.direction == "lower_better"])
    else:
        order = ranked.sort_values(measure.column, ascending=measure.direction == "lower_better")
    context = measure.kind == "value" and measure.direction == "context"
    labels = ("largest", "smallest") if context else ("wall_best_areas", "wall_worst_areas")  # sizes, not merit
    for key, part in ((labels[0], order.head(3)), (labels[1], order.tail(3).iloc[::-1])):
        if len(order) < 2:
            break
        lines = [
            tag(
                "div",
                tag("span", escape(_name(r, language)), class_="wall-rank-name"),
                tag(
                    "span",
                    escape(measure.format(r.get(measure.column), language, with_unit=False)),
                    class_="wall-rank-value",
                ),
                class_="wall-rank-line",
            )
            for r in part.to_dict("records")
        ]
        side.append(
            tag("div", tag("div", escape(t(key, language)), class_="wall-label"), *lines, class_="wall-map-ranks")
        )
    if not has_map:
        side.append(tag("div", escape(t("wall_bars_note", language)), class_="wall-note"))
    markup = tag("div", figure_box("map"), tag("div", *side, class_="wall-map-side"), class_="wall-map")
    return markup, {"map": wall_figure(figure, theme)}


# =========================================================================== trends


def trends_slide(
    trends: Sequence[tuple[Measure, pd.DataFrame]], language: str, theme: str, *, points: int = 12
) -> tuple[str, dict]:
    """Up to four key KPIs over their last `points` periods, each with its latest value and status."""
    cards, figures = [], {}
    for index, (measure, frame) in enumerate(trends):
        frame = frame.dropna(subset=["value"]).tail(points).reset_index(drop=True)
        latest = frame.iloc[-1].to_dict() if not frame.empty else {}
        head = tag(
            "div",
            tag("div", escape(measure.name(language)), class_="wall-trend-name"),
            tag(
                "div",
                tag("span", escape(measure.format(latest.get("value"), language)), class_="wall-trend-value"),
                " ",
                pill(latest.get("status") if latest else "no_data", language),
                tag(
                    "span",
                    escape(str(latest.get("label_en" if language == "en" else "label_th") or "")),
                    class_="wall-trend-period",
                ),
                class_="wall-trend-latest",
            ),
            class_="wall-trend-head",
        )
        if frame.empty:
            body = tag("div", escape(t("wall_no_series", language)), class_="wall-message")
        else:
            name = f"trend-{index}"
            body = figure_box(name)
            figure = series_figure(frame, measure, language)
            figure.update_yaxes(title_text="")  # the unit is in the card's head
            figures[name] = wall_figure(figure, theme)
        cards.append(tag("div", head, body, class_="wall-trend", data_kpi=measure.name_en))
    count = max(len(cards), 1)
    return tag("div", *cards, class_=f"wall-trends wall-trends-{count}"), figures


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
    how many KPIs are off target, and the worst one."""
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
                    tag("div", escape(_name(row, language)), class_="wall-hot-name"),
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
        tag("div", *items, class_="wall-list wall-fit", data_more="areas"),
        more_note("areas"),
        class_="wall-hotspots",
    ), {}


__all__ = [
    "area_hotspots",
    "exceptions_slide",
    "goals_slide",
    "hotspots_slide",
    "map_slide",
    "off_target",
    "subset_features",
    "trends_slide",
    "wall_figure",
]
