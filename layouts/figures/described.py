"""What a chart says in words: its text alternative (`ChartText`), a sentence (what it shows,
its highest and lowest value, or its latest value and how it changed) and a table of every
value it plots, in the view's language. Each is derived from the rows the figure is drawn from,
in the figure's order (`layouts.figures.charts` builds both from one frame, so they cannot
disagree); `layouts.components.chart_text` shows them with the chart, and the ESR prints the
sentence under its figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from data.rules.areas import name_column
from layouts.figures.common import Measure
from layouts.text.format import format_score, is_missing, status_badge
from layouts.text.i18n import GOAL_NAMES, t


@dataclass(frozen=True)
class ChartText:
    """A chart's text alternative: its `title` (the chart's name for a screen reader, the
    table's caption), one `summary` sentence, and the table of the values plotted (`headers`,
    `rows` of shown text; the first cell of a row heads it, linked to `links[i]` where given;
    the columns of `numeric` are numbers)."""

    title: str
    summary: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    links: tuple[str, ...] = ()


def _extremes(labels: Sequence[str], values: Sequence) -> tuple[int, int] | None:
    """The positions of the highest and the lowest of `values` (the first of equals), or None
    when none is known."""
    known = [(float(v), i) for i, v in enumerate(values) if not is_missing(v)]
    if not known:
        return None
    high = max(known, key=lambda pair: (pair[0], -pair[1]))[1]
    low = min(known, key=lambda pair: (pair[0], pair[1]))[1]
    return high, low


def areas_text(frame: pd.DataFrame, measure: Measure, language: str, title: str) -> ChartText:
    """The areas of a ranking or a map on `measure` (`frame` in the order drawn: every area,
    those without data included): the highest and the lowest with their values, how many have
    no data; the table lists every area with its value and status."""
    column = measure.column
    names = frame[name_column(language)].fillna(frame["area_code"]).astype(str).tolist()
    values = pd.to_numeric(frame.get(column), errors="coerce").tolist()
    statuses = frame["status"].tolist() if "status" in frame else ["no_data"] * len(frame)
    shown = [measure.format(v, language) if not is_missing(v) else t("no_data", language) for v in values]
    extremes = _extremes(names, values)
    if extremes is None:
        summary = t("chart_no_values", language).format(title=title)
    else:
        high, low = extremes
        counted = sum(not is_missing(v) for v in values)
        summary = t("chart_areas", language).format(
            title=title, n=counted, high=names[high], high_value=shown[high], low=names[low], low_value=shown[low]
        )
        if counted < len(values):
            summary += t("chart_without_data", language).format(n=len(values) - counted)
    value_header = t("score", language) if measure.kind == "score" else measure.unit(language) or t("value", language)
    rows = tuple(
        (name, text, status_badge(status).word(language)) for name, text, status in zip(names, shown, statuses)
    )
    links = tuple(frame["href"].fillna("").astype(str)) if "href" in frame else ()
    return ChartText(
        title,
        summary,
        (t("area", language), value_header, t("status", language)),
        rows,
        frozenset({1}),
        links,
    )


def series_text(frame: pd.DataFrame, measure: Measure, language: str, title: str) -> ChartText:
    """A KPI over time (rows oldest first, as `series_figure` draws them): the latest value and
    its change since the first, the highest and the lowest; the table lists every period's
    value, target and status."""
    periods = frame["label_en" if language == "en" else "label_th"].astype(str).tolist() if not frame.empty else []
    values = pd.to_numeric(frame.get("value", pd.Series(dtype=float)), errors="coerce").tolist()
    targets = pd.to_numeric(frame.get("target", pd.Series(float("nan"), index=frame.index)), errors="coerce")
    statuses = frame["status"].tolist() if "status" in frame else ["no_data"] * len(frame)
    known = [i for i, v in enumerate(values) if not is_missing(v)]
    text = [measure.format(v, language) for v in values]
    if not known:
        summary = t("chart_no_values", language).format(title=title)
    elif len(known) == 1:
        summary = t("chart_series_one", language).format(title=title, value=text[known[0]], period=periods[known[0]])
    else:
        first, last = known[0], known[-1]
        high, low = _extremes(periods, values)
        step = round(values[last], measure.decimals) - round(values[first], measure.decimals)
        change = t("chart_up" if step > 0 else "chart_down" if step < 0 else "chart_same", language)
        summary = t("chart_series", language).format(
            title=title,
            value=text[last],
            period=periods[last],
            change=change,
            first_value=text[first],
            first_period=periods[first],
            high_value=text[high],
            high_period=periods[high],
            low_value=text[low],
            low_period=periods[low],
        )
    rows = tuple(
        (period, value, measure.format(target, language), status_badge(status).word(language))
        for period, value, target, status in zip(periods, text, targets, statuses)
    )
    headers = (t("period", language), t("value", language), t("target", language), t("status", language))
    return ChartText(title, summary, headers, rows, frozenset({1, 2}))


def goal_label(goal: str, language: str) -> str:
    """A goal as the charts name it ("เป้าหมายที่ 2"), the overall score by its words."""
    return t("overall_score", language) if goal == "ALL" else t("goal_n", language).format(n=goal[1:])


def goals_text(goals: pd.DataFrame, language: str) -> ChartText:
    """The goals' bullet bars (rows in the order drawn: goal, score, status): the highest and
    the lowest goal; the table lists each goal's score and status."""
    title = t("chart_goal_scores", language)
    labels = [goal_label(g, language) for g in goals["goal"]]
    scores = pd.to_numeric(goals["score"], errors="coerce").tolist()
    statuses = goals["status"].tolist() if "status" in goals else ["no_data"] * len(goals)
    summary = scores_summary(title, labels, scores, language)
    rows = tuple(
        (label, format_score(score), status_badge(status).word(language))
        for label, score, status in zip(labels, scores, statuses)
    )
    return ChartText(title, summary, (t("goal", language), t("score", language), t("status", language)), rows, {1})


def scores_summary(title: str, labels: list[str], scores: list, language: str) -> str:
    """ "<title>: highest <label> (<score>), lowest <label> (<score>)", or that it has no values."""
    extremes = _extremes(labels, scores)
    if extremes is None:
        return t("chart_no_values", language).format(title=title)
    high, low = extremes
    return t("chart_goals", language).format(
        title=title,
        high=labels[high],
        high_value=format_score(scores[high]),
        low=labels[low],
        low_value=format_score(scores[low]),
    )


def radar_text(goal_scores: pd.DataFrame, provinces: Sequence[str], language: str) -> ChartText:
    """The radar of the provinces' six goal scores: the highest and the lowest score (province
    and goal); the table has a row per province drawn and a column per goal."""
    column = name_column(language)
    goals = list(GOAL_NAMES)
    rows, cells = [], []
    for code in provinces:
        mine = goal_scores[goal_scores["area_code"] == code].set_index("goal")
        if mine.empty:
            continue
        name = str(mine[column].iloc[0])
        scores = [mine["score"].get(g) for g in goals]
        rows.append((name, *(format_score(s) for s in scores)))
        cells += [(f"{name} · {goal_label(g, language)}", s) for g, s in zip(goals, scores)]
    title = t("chart_radar", language).format(n=len(rows))
    summary = scores_summary(title, [c[0] for c in cells], [c[1] for c in cells], language)
    headers = (t("province", language), *(goal_label(g, language) for g in goals))
    return ChartText(title, summary, headers, tuple(rows), frozenset(range(1, 7)))


def heatmap_text(frame: pd.DataFrame, provinces: Sequence[str], language: str) -> ChartText:
    """The KPIs × provinces heatmap of scores (`frame` in the order drawn): how many cells are in
    each status; the table has a row per KPI and a column per province (score and status symbol)."""
    names = frame.drop_duplicates("area_code").set_index("area_code")[name_column(language)]
    cells = frame.set_index(["kpi_id", "area_code"])
    kpi_name = "kpi_name_en" if language == "en" else "kpi_name_th"
    rows = []
    counts = {"on_target": 0, "watch": 0, "below": 0, "none": 0}
    for kpi_id, group in frame.groupby("kpi_id", sort=False):
        row = [str(group[kpi_name].iloc[0]) if kpi_name in group else str(kpi_id)]
        for code in provinces:
            cell = cells.loc[(kpi_id, code)] if (kpi_id, code) in cells.index else None
            score = None if cell is None else cell["score"]
            status = "no_data" if cell is None or is_missing(score) else str(cell["status"])
            key = {"on_target": "on_target", "watch": "watch", "off_target": "below"}.get(status, "none")
            counts[key] += 1
            badge = status_badge(status)
            row.append("–" if is_missing(score) else f"{format_score(score)} {badge.symbol} {badge.word(language)}")
        rows.append(tuple(row))
    title = t("heatmap_title", language)
    summary = t("chart_heatmap", language).format(kpis=len(rows), n=len(provinces), **counts)
    headers = (t("kpi", language), *(str(names.get(code, code)) for code in provinces))
    return ChartText(title, summary, headers, tuple(rows), frozenset(range(1, len(provinces) + 1)))
