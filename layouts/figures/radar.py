"""The cluster comparison's radar: the six goal scores of each member province, one shape each."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from data.rules.areas import name_column
from layouts.figures.common import base_layout, figure_from
from layouts.text.format import format_score, is_missing, status_badge
from layouts.text.i18n import GOAL_NAMES, pick, t
from layouts.theme import PROVINCE_COLOURS, RADAR_GRID, TRANSPARENT


def goal_radar_figure(
    goal_scores: pd.DataFrame, language: str = "th", *, provinces: Sequence[str] | None = None, height: int = 420
) -> go.Figure:
    """The six goal scores of each province as a radar, one trace per province (scale 1–5, so
    the shapes compare). `goal_scores` is `province_goal_scores` for the provinces shown:
    area_code, name_th/name_en, goal, score, status. A goal without a score is left out of
    that province's shape (a gap, not a zero). The goals are named outside the circle, the
    rings carry no numbers (they would sit on the shapes): the scale is said above the chart."""
    column = name_column(language)
    codes = list(provinces) if provinces is not None else list(dict.fromkeys(goal_scores["area_code"]))
    axis = [t("goal_n", language).format(n=g[1:]) for g in GOAL_NAMES]
    traces: list[dict] = []
    for index, code in enumerate(codes):
        rows = goal_scores[(goal_scores["area_code"] == code)].set_index("goal")
        if rows.empty:
            continue
        colour = PROVINCE_COLOURS[index % len(PROVINCE_COLOURS)]
        traces.append(_province_shape(rows, column, axis, colour, language))
    if not traces:  # no province with a score: the empty circle and its goals, not a plotly x-y grid
        traces.append(dict(type="scatterpolar", r=[None] * len(axis), theta=axis, showlegend=False, hoverinfo="skip"))
    return figure_from(
        traces,
        base_layout(
            height=height,
            margin=dict(l=84, r=84, t=44, b=24),
            polar=dict(
                bgcolor=TRANSPARENT,
                # the rings are 1 to 5 from the centre; numbers on them would sit on the shapes, so
                # the scale is said once above the chart (and each point's score is in its hover)
                radialaxis=dict(
                    range=[1, 5], tickvals=[1, 2, 3, 4, 5], showticklabels=False, showline=False, gridcolor=RADAR_GRID
                ),
                # turned so that no goal's name sits above or below the circle: the scale above it and
                # the legend below it have the room to themselves
                angularaxis=dict(direction="clockwise", rotation=60, gridcolor=RADAR_GRID, tickfont=dict(size=13)),
            ),
            annotations=[
                dict(
                    text=t("radar_scale", language),
                    x=0.5,
                    xref="paper",
                    xanchor="center",
                    y=1,
                    yref="paper",
                    yanchor="bottom",
                    yshift=14,
                    showarrow=False,
                    font=dict(size=12),
                )
            ],
            legend=dict(orientation="h", yanchor="top", y=-0.07, x=0.5, xanchor="center", font=dict(size=13)),
            showlegend=True,
        ),
    )


def _province_shape(rows: pd.DataFrame, column: str, axis: list[str], colour: str, language: str) -> dict:
    """One province's closed shape over the six goal axes (`rows`: its goal scores by goal), a gap
    where a goal has no score; the hover names the goal, the score and its status."""
    goals = list(GOAL_NAMES)
    scores = [rows["score"].get(g) for g in goals]
    r = [None if is_missing(s) else float(s) for s in scores]
    hovers = [
        f"<b>{rows[column].iloc[0]}</b><br>{label}: {pick(GOAL_NAMES[g], language)}<br>"
        f"{t('score', language)} {format_score(s)} {status_badge(rows['status'].get(g)).symbol} "
        f"{status_badge(rows['status'].get(g)).word(language)}"
        for g, label, s in zip(goals, axis, scores)
    ]
    return dict(
        type="scatterpolar",
        r=r + r[:1],
        theta=axis + axis[:1],
        name=str(rows[column].iloc[0]),
        mode="lines+markers",
        line=dict(color=colour, width=2),
        marker=dict(size=6, color=colour),
        fill="toself",
        fillcolor=_transparent(colour, 0.06),
        hovertext=hovers + hovers[:1],
        hovertemplate="%{hovertext}<extra></extra>",
        connectgaps=False,
    )


def _transparent(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
