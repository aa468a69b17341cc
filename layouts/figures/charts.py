"""A chart and its text alternative built from one frame: every chart a page or the ESR shows
comes from here, as a `Chart` (the figure, its `ChartText`, and for a ranking how many areas
its collapsed form leaves out), so the sentence and the table under a chart say what it draws."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from layouts.figures.bars import goal_bullet_figure, ranked_bars_figure, ranked_frame, shown_positions
from layouts.figures.common import Measure
from layouts.figures.described import (
    ChartText,
    areas_text,
    goals_text,
    heatmap_text,
    radar_text,
    series_text,
)
from layouts.figures.heatmap import score_heatmap_figure
from layouts.figures.maps import choropleth_figure
from layouts.figures.radar import goal_radar_figure
from layouts.figures.trends import series_figure


class Chart(NamedTuple):
    figure: go.Figure
    text: ChartText
    total: int = 0  # the areas of a ranking
    hidden: int = 0  # of which its collapsed bars leave out (the table lists them all)


def ranking_chart(
    frame: pd.DataFrame,
    measure: Measure,
    language: str,
    *,
    title: str,
    best_first: bool = True,
    bar_height: int = 22,
    ends: int | None = None,
    keep: Collection[str] = (),
) -> Chart:
    """Ranked bars of the areas of `frame` (collapsed to the first and last `ends` and `keep`
    where longer), and the text of every area in the bars' order."""
    figure = ranked_bars_figure(
        frame, measure, language, best_first=best_first, bar_height=bar_height, ends=ends, keep=keep
    )
    ordered = ranked_frame(frame, measure, best_first=best_first)
    shown = len(shown_positions(ordered, measure.column, ends, keep))
    return Chart(figure, areas_text(ordered, measure, language, title), len(ordered), len(ordered) - shown)


def map_chart(
    frame: pd.DataFrame,
    geojson: dict,
    measure: Measure,
    language: str,
    *,
    title: str,
    height: int = 620,
    width: int | None = None,
) -> Chart:
    """A choropleth of the areas of `frame`, and the text of every area, best first."""
    figure = choropleth_figure(frame, geojson, measure, language, height=height, width=width)
    ordered = ranked_frame(frame, measure)
    return Chart(figure, areas_text(ordered, measure, language, title), len(ordered))


def series_chart(
    frame: pd.DataFrame, measure: Measure, language: str, *, title: str, height: int | None = 320
) -> Chart:
    """A KPI of one area over time (rows oldest first), and its text."""
    return Chart(series_figure(frame, measure, language, height=height), series_text(frame, measure, language, title))


def goals_chart(goals: pd.DataFrame, language: str, **bullet) -> Chart:
    """The goals as bullet bars (`goal_bullet_figure`'s arguments), and their text."""
    return Chart(goal_bullet_figure(goals, language, **bullet), goals_text(goals, language))


def radar_chart(goal_scores: pd.DataFrame, language: str, *, provinces: Sequence[str], height: int = 420) -> Chart:
    """The provinces' six goal scores as a radar, and their text."""
    figure = goal_radar_figure(goal_scores, language, provinces=provinces, height=height)
    return Chart(figure, radar_text(goal_scores, provinces, language))


def heatmap_chart(frame: pd.DataFrame, language: str, *, provinces: Sequence[str]) -> Chart:
    """The KPIs × provinces heatmap of scores, and its text."""
    return Chart(score_heatmap_figure(frame, language, provinces=provinces), heatmap_text(frame, provinces, language))
