"""Trends: a KPI of one area over time, and the word-sized sparklines of the tables (as a
figure, or as SVG markup where a table draws dozens)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from layouts.figures.common import Measure, base_layout, status_line
from layouts.text.format import format_score, is_missing, status_badge
from layouts.text.i18n import t
from layouts.theme import GRID, LINE, TARGET_LINE, WHITE


def series_figure(
    frame: pd.DataFrame, measure: Measure, language: str = "th", *, height: int | None = 320
) -> go.Figure:
    """A KPI of one area over time (rows oldest first: label_th/label_en, value, target, score,
    status): a grey line, each point in its status colour, the target as a dashed line.
    `height=None`: as tall as the element that holds it."""
    labels = frame["label_en" if language == "en" else "label_th"].tolist() if not frame.empty else []
    values = pd.to_numeric(frame.get("value", pd.Series(dtype=float)), errors="coerce")
    targets = pd.to_numeric(frame.get("target", pd.Series(np.nan, index=frame.index)), errors="coerce")
    statuses = frame["status"] if "status" in frame else pd.Series("no_data", index=frame.index)
    hovers = []
    for label, value, score, status in zip(
        labels, values, frame.get("score", pd.Series(np.nan, index=frame.index)), statuses
    ):
        line = f"<b>{label}</b><br>{measure.format(value, language)}"
        if not is_missing(score):
            line += f"<br>{t('score', language)} {format_score(score)}"
        hovers.append(line + "<br>" + status_line(status, language))
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=values,
            mode="lines+markers",
            line=dict(color=LINE, width=2),
            marker=dict(size=11, color=[status_badge(s).colour for s in statuses], line=dict(color=WHITE, width=1.5)),
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            name=measure.name(language),
            showlegend=False,
        )
    )
    if targets.notna().any():
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=targets,
                mode="lines",
                line=dict(color=TARGET_LINE, width=2, dash="dash"),
                name=t("target", language),
                hovertemplate=f"{t('target', language)} %{{y:,.{measure.decimals}f}}<extra></extra>",
            )
        )
    # from zero where the KPI's quantity is additive or a share (`starts_at_zero`): a fitted axis
    # made a fall from 27 to 25 deaths per 100,000 look like a fall by half; a score from its floor, 1
    value_axis = dict(rangemode="tozero") if measure.from_zero else dict(zeroline=True, zerolinecolor=GRID)
    if measure.kind == "score":
        value_axis = dict(range=[1, 5.2])
    figure.update_yaxes(
        title=dict(text=measure.unit(language)), showgrid=True, gridcolor=GRID, tickformat=",", **value_axis
    )
    figure.update_xaxes(type="category", showgrid=False)
    figure.update_layout(
        **base_layout(height=height, margin=dict(l=10, r=10, t=10, b=40), legend=dict(orientation="h", y=1.08, x=0))
    )
    return figure


def sparkline_figure(
    values: Sequence[float], status: str | None = None, *, width: int = 120, height: int = 34
) -> go.Figure:
    """A word-sized line of the latest `values` (oldest first); the last point in the status colour."""
    points = [float(v) for v in (values or ()) if not is_missing(v)]
    figure = go.Figure()
    if points:
        x = list(range(len(points)))
        figure.add_trace(go.Scatter(x=x, y=points, mode="lines", line=dict(color=LINE, width=1.6), hoverinfo="skip"))
        figure.add_trace(
            go.Scatter(
                x=[x[-1]],
                y=[points[-1]],
                mode="markers",
                hoverinfo="skip",
                marker=dict(color=status_badge(status).colour, size=7, line=dict(color=WHITE, width=1)),
            )
        )
    figure.update_xaxes(visible=False, range=[-0.4, max(len(points) - 1, 1) + 0.4])
    low, high = (min(points), max(points)) if points else (0.0, 1.0)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0  # a flat line sits in the middle
    figure.update_yaxes(visible=False, range=[low - pad, high + pad])
    figure.update_layout(**base_layout(width=width, height=height, showlegend=False))
    return figure


def sparkline_svg(
    values: Sequence[float], status: str | None = None, *, width: int = 120, height: int = 34, label: str = ""
) -> str:
    """The same sparkline as `sparkline_figure`, as SVG markup: a table of 80 KPIs draws 80 of
    these, which costs the browser nothing, where 80 Plotly graphs take seconds. `label` says
    in words what it shows (for screen readers)."""
    points = [float(v) for v in (values or ()) if not is_missing(v)]
    described = f' role="img" aria-label="{escape(label, quote=True)}"' if label else ""
    if not points:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"{described}></svg>'
    low, high = min(points), max(points)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    margin = 4.0
    step = (width - 2 * margin) / max(len(points) - 1, 1)
    coords = [
        (
            margin + i * step if len(points) > 1 else width / 2,
            height - margin - (v - low) / (high - low) * (height - 2 * margin),
        )
        for i, v in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="sparkline"{described}>'
        + (f"<title>{escape(label)}</title>" if label else "")
        + f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.6" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3.5" fill="{status_badge(status).colour}" '
        f'stroke="{WHITE}" stroke-width="1"/></svg>'
    )
