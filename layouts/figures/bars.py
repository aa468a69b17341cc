"""Bars: areas ranked on a measure (the map's fallback and a ranking view), and the six goals
as bullet bars against the status bands."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import plotly.graph_objects as go

from data.rules.areas import name_column
from layouts.figures.common import Measure, base_layout, colours_for, figure_from
from layouts.figures.maps import hover_text
from layouts.text.format import format_score, is_missing, status_badge
from layouts.text.i18n import t
from layouts.theme import FONT_SIZE, GRID, STATUS_BANDS, TARGET_LINE, TRANSPARENT

RANKING_ENDS = 10  # a longer ranking shows its first and last this many bars (and the viewer's own)


def ranked_frame(frame: pd.DataFrame, measure: Measure, *, best_first: bool = True) -> pd.DataFrame:
    """`frame`'s areas in the order of the bars: best first (the largest first for a context
    figure or a score), by the value as shown (rounded), ties by area code (the order of the
    tables beside the bars), no data last."""
    column = measure.column
    frame = frame.copy()
    frame[column] = pd.to_numeric(frame.get(column), errors="coerce")
    better_high = measure.kind == "score" or measure.direction != "lower_better"
    ascending = not (better_high == best_first)
    return frame.assign(_shown=frame[column].round(measure.decimals)).sort_values(
        ["_shown", "area_code"], ascending=[ascending, True], na_position="last", kind="stable"
    )


def shown_positions(ordered: pd.DataFrame, column: str, ends: int | None, keep: Collection[str] = ()) -> list[int]:
    """The positions in `ordered` (a `ranked_frame`) drawn as bars: all of them, or, for a ranking
    longer than twice `ends`, the first and last `ends` areas with data and the areas of `keep`
    (the viewer's own) wherever they stand."""
    if not ends or len(ordered) <= 2 * ends:
        return list(range(len(ordered)))
    valued = [i for i, v in enumerate(ordered[column]) if not is_missing(v)]
    kept = {i for i, code in enumerate(ordered["area_code"].astype(str)) if code in set(keep)}
    return sorted(set(valued[:ends]) | set(valued[-ends:]) | kept)


def ranked_bars_figure(
    frame: pd.DataFrame,
    measure: Measure,
    language: str = "th",
    *,
    best_first: bool = True,
    bar_height: int = 22,
    ends: int | None = None,
    keep: Collection[str] = (),
) -> go.Figure:
    """Horizontal bars of the areas in `frame`, best first, coloured as the map colours them
    (the fallback where no boundaries are imported, and a ranking view). With `ends`, a ranking
    longer than twice `ends` shows its first and last `ends` bars (and those of `keep`), each
    run of areas left out marked by a row of its own ("… 57 more …", no bar)."""
    column = measure.column
    ordered = ranked_frame(frame, measure, best_first=best_first)
    positions = shown_positions(ordered, column, ends, keep)
    frame = ordered.iloc[positions]
    rows = _rows_with_gaps(positions, len(ordered))
    names = frame[name_column(language)].fillna(frame["area_code"]).tolist()
    values = frame[column].fillna(0 if measure.kind == "value" else 1)
    # numbers only beside the bars, the unit once under the axis: a long Thai unit
    # ("ต่อประชากรแสนคน") beside every bar would run past the card's edge
    labels = [
        measure.format(v, language, with_unit=False) if not is_missing(v) else t("no_data", language)
        for v in frame[column]
    ]
    links = (frame["href"] if "href" in frame else pd.Series("", index=frame.index)).tolist()
    hovers = hover_text(frame, measure, language)
    columns = (
        names,
        (values - (1 if measure.kind == "score" else 0)).tolist(),
        labels,
        hovers,
        links,
        colours_for(measure, frame[column]),
    )
    y, x, text, hover, customdata, colours = _spread(rows, columns, language)
    text_size = min(FONT_SIZE, bar_height - 3)
    bar = dict(
        type="bar",
        y=y,
        x=x,
        orientation="h",
        marker=dict(color=colours),
        text=text,
        textposition="outside",
        cliponaxis=False,
        textfont=dict(size=text_size),
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=[[link] for link in customdata],
    )
    return _bars_layout(bar, measure, language, len(rows), bar_height, text_size, labels)


def _rows_with_gaps(positions: list[int], total: int) -> list[int]:
    """The rows of a (maybe collapsed) ranking: an index into the shown areas, or minus the
    number of areas left out where a run of them is (between shown ones, or after the last)."""
    rows: list[int] = []
    previous = -1
    for index, position in enumerate(positions):
        if position - previous > 1:
            rows.append(-(position - previous - 1))
        rows.append(index)
        previous = position
    if total - 1 > previous:
        rows.append(-(total - 1 - previous))
    return rows


def _spread(rows: list[int], columns: tuple[list, ...], language: str) -> tuple[list, ...]:
    """The bar columns (name, length, label, hover, link, colour) row by row, a gap row being
    its marker with no bar, label, hover or link (each marker its own category: zero-width
    spaces tell two markers of the same count apart)."""
    out: tuple[list, ...] = tuple([] for _ in columns)
    gaps = 0
    for row in rows:
        if row >= 0:
            cells = [column[row] for column in columns]
        else:
            cells = [t("ranking_gap", language).format(n=-row) + "\u200b" * gaps, None, "", "", "", TRANSPARENT]
            gaps += 1
        for out_column, cell in zip(out, cells):
            out_column.append(cell)
    return out


def _bars_layout(
    bar: dict, measure: Measure, language: str, rows: int, bar_height: int, text_size: int, labels: list[str]
) -> go.Figure:
    """The bars' figure: every area named, the value axis from zero where the KPI's quantity is
    additive or a share (`starts_at_zero`), from 1 for a score, its unit under it."""
    x_axis = dict(showgrid=True, gridcolor=GRID, zeroline=False, tickformat=",")
    bottom = 30
    if measure.kind == "score":
        bar["base"] = 1
        x_axis["range"] = [1, 5.6]
    else:
        if measure.from_zero:  # a bar's length in proportion to its value
            x_axis["rangemode"] = "tozero"
        else:  # fitted to the values (see `starts_at_zero`), zero drawn where the range holds it
            x_axis.update(zeroline=True, zerolinecolor=GRID)
        if measure.unit(language):
            x_axis["title"] = dict(text=measure.unit(language), font=dict(size=12), standoff=4)
            bottom = 48
    # room right of the longest bar for its label (digits of 14 px Sarabun are about 8 px wide)
    right = max(40, 10 + 8 * max((len(label) for label in labels), default=0))
    return figure_from(
        [bar],
        base_layout(
            height=max(160, bar_height * rows + 30 + bottom),
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
