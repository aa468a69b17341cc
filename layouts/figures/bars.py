"""Bars: areas ranked on a measure (the map's fallback and a ranking view), and the six goals
as bullet bars against the status bands."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.rules.areas import name_column
from layouts.figures.common import Measure, base_layout, colours_for, figure_from
from layouts.figures.maps import hover_text
from layouts.text.format import format_score, is_missing, status_badge
from layouts.text.i18n import t
from layouts.theme import FONT_SIZE, GRID, STATUS_BANDS, TARGET_LINE


def ranked_bars_figure(
    frame: pd.DataFrame, measure: Measure, language: str = "th", *, best_first: bool = True, bar_height: int = 22
) -> go.Figure:
    """Horizontal bars of the areas in `frame`, best first, coloured as the map colours them
    (the fallback where no boundaries are imported, and a ranking view)."""
    column = measure.column
    frame = frame.copy()
    frame[column] = pd.to_numeric(frame.get(column), errors="coerce")
    better_high = measure.kind == "score" or measure.direction != "lower_better"
    # by the value as shown (rounded), ties by area code: the order of the tables beside the bars
    ascending = not (better_high == best_first)
    frame = frame.assign(_shown=frame[column].round(measure.decimals)).sort_values(
        ["_shown", "area_code"], ascending=[ascending, True], na_position="last", kind="stable"
    )
    names = frame[name_column(language)].fillna(frame["area_code"]).tolist()
    values = frame[column].fillna(0 if measure.kind == "value" else 1)
    # numbers only beside the bars, the unit once under the axis: a long Thai unit
    # ("ต่อประชากรแสนคน") beside every bar would run past the card's edge
    labels = [
        measure.format(v, language, with_unit=False) if not is_missing(v) else t("no_data", language)
        for v in frame[column]
    ]
    text_size = min(FONT_SIZE, bar_height - 3)
    bar = dict(
        type="bar",
        y=names,
        x=(values - (1 if measure.kind == "score" else 0)).to_numpy(),
        orientation="h",
        marker=dict(color=colours_for(measure, frame[column])),
        text=labels,
        textposition="outside",
        cliponaxis=False,
        textfont=dict(size=text_size),
        hovertext=hover_text(frame, measure, language),
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=(frame["href"] if "href" in frame else pd.Series("", index=frame.index)).to_numpy().reshape(-1, 1),
    )
    x_axis = dict(showgrid=True, gridcolor=GRID, zeroline=False, tickformat=",")
    bottom = 30
    if measure.kind == "score":
        bar["base"] = 1
        x_axis["range"] = [1, 5.6]
    elif measure.unit(language):
        x_axis["title"] = dict(text=measure.unit(language), font=dict(size=12), standoff=4)
        bottom = 48
    # room right of the longest bar for its label (digits of 14 px Sarabun are about 8 px wide)
    right = max(40, 10 + 8 * max((len(label) for label in labels), default=0))
    return figure_from(
        [bar],
        base_layout(
            height=max(160, bar_height * len(frame) + 30 + bottom),
            margin=dict(l=0, r=right, t=10, b=bottom),
            bargap=0.25,
            # every area named, in a size its row holds (plotly would skip every
            # other name once they no longer fit at 14 px)
            yaxis=dict(autorange="reversed", automargin=True, dtick=1, tickfont=dict(size=text_size)),
            xaxis=x_axis,
        ),
    )


def goal_bullet_figure(
    goals: pd.DataFrame,
    language: str = "th",
    *,
    watch: float = 2.0,
    on_target: float = 3.0,
    height: int | None = None,
    fill: bool = False,
) -> go.Figure:
    """One bullet bar per goal (rows goal G1..G6 and optionally ALL, with score and status):
    the bands are the status ranges, the bar the score in its status colour, the line the
    on-target cut-off."""
    frame = goals.copy()
    labels = [
        t("overall_score", language) if g == "ALL" else t("goal_n", language).format(n=g[1:]) for g in frame["goal"]
    ]
    scores = pd.to_numeric(frame["score"], errors="coerce")
    statuses = frame["status"] if "status" in frame else pd.Series("no_data", index=frame.index)
    colours = [status_badge(s).colour for s in statuses]
    # beside the bar the score and the status symbol (the goal tiles beside the chart give the
    # words; in a narrow card the words ran over the bands and the cut-off line); words on hover
    texts = [
        f"{format_score(s)} {status_badge(st).symbol}" if not is_missing(s) else t("no_data", language)
        for s, st in zip(scores, statuses)
    ]
    hovers = [
        f"{label}: {format_score(s)} {status_badge(st).symbol} {status_badge(st).word(language)}"
        if not is_missing(s)
        else f"{label}: {t('no_data', language)}"
        for label, s, st in zip(labels, scores, statuses)
    ]
    bar = dict(
        type="bar",
        y=labels,
        x=(scores.fillna(1.0) - 1.0).to_numpy(),
        base=1.0,
        orientation="h",
        marker=dict(color=colours),
        width=0.45,
        text=texts,
        textposition="outside",
        cliponaxis=False,
        hovertext=hovers,
        hovertemplate="%{hovertext}<extra></extra>",
    )
    layout = base_layout(
        height=height or 44 * len(frame) + 40,
        margin=dict(l=0, r=10, t=5, b=25),
        shapes=_status_band_shapes(watch, on_target),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(range=[1, 6.4], tickvals=[1, 2, 3, 4, 5], showgrid=False, zeroline=False),
    )
    if fill:  # as tall as the element that holds it (see `layouts.views.scorecard.overall_card`)
        layout.pop("height")
    return figure_from([bar], layout)


def _status_band_shapes(watch: float, on_target: float) -> list[dict]:
    """The bullet bars' background: the status ranges as bands, and the on-target cut-off as a
    dotted line."""
    bands = zip(((1, watch), (watch, on_target), (on_target, 5)), STATUS_BANDS)
    shapes = [
        dict(
            type="rect",
            xref="x",
            yref="paper",
            x0=start,
            x1=end,
            y0=0,
            y1=1,
            fillcolor=colour,
            line=dict(width=0),
            layer="below",
        )
        for (start, end), colour in bands
    ]
    # under the bars and their labels: a score just below the cut-off writes its label across it
    shapes.append(
        dict(
            type="line",
            xref="x",
            yref="paper",
            x0=on_target,
            x1=on_target,
            y0=0,
            y1=1,
            line=dict(color=TARGET_LINE, width=2, dash="dot"),
            layer="below",
        )
    )
    return shapes
