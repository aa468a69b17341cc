"""The figure builder: pure functions from DataFrames to `go.Figure`, shared by the pages, the
wall screen and the PDF.

Colour means the same thing everywhere: scores use one fixed 1–5 scale, red → amber → green,
whose stops sit on the status cut-offs; a scored KPI's raw values are coloured on the same
scale through its OPDC thresholds (so a district and a province with the same value look the
same); an unscored KPI follows its direction over the range shown (more is greener when higher
is better, reversed when lower is better, a neutral blue for context figures; the range is
the 5th–95th percentile shown, the ends clipped). Areas without
data are grey. Maps are `go.Choropleth` on GeoJSON with no basemap, so they work offline.
"""

from __future__ import annotations

import os

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from layouts.format import STATUS, format_rank, format_score, is_missing, status_badge
from layouts.i18n import GOAL_NAMES, format_number, format_value, pick

FONT_FAMILY = "Sarabun, Tahoma, sans-serif"
# dcc.Graph config for maps: plotly.js fetches a world topojson for every geo subplot, from its
# CDN unless told otherwise; assets/topojson/ serves an empty one, so nothing leaves the server.
MAP_CONFIG = {"displayModeBar": False, "scrollZoom": False, "doubleClick": False, "responsive": True,
              "topojsonURL": "/assets/topojson/"}
STATIC_CONFIG = {"staticPlot": True, "displayModeBar": False}
NO_DATA_COLOUR = "#d5d9de"
BORDER_COLOUR = "#ffffff"

# score → colour; 2 and 3 are the default watch / on-target cut-offs
SCORE_STOPS = ((1.0, "#b71c1c"), (2.0, "#f2a900"), (3.0, "#8bc34a"), (4.0, "#43a047"), (5.0, "#1b5e20"))
SCORE_SCALE = [[(score - 1.0) / 4.0, colour] for score, colour in SCORE_STOPS]
BETTER_SCALE = [[0.0, "#c62828"], [0.25, "#ef8a3c"], [0.5, "#f6d55c"], [0.75, "#8bc34a"], [1.0, "#1b5e20"]]
NEUTRAL_SCALE = [[0.0, "#e8f1fa"], [0.5, "#6baed6"], [1.0, "#08306b"]]

WORDS = {
    "score": ("คะแนน", "Score"),
    "overall": ("คะแนนรวม 6 เป้าหมาย", "Overall score (6 goals)"),
    "no_data": ("ไม่มีข้อมูล", "No data"),
    "rank_cluster": ("อันดับในกลุ่มจังหวัด", "Rank in cluster"),
    "rank_country": ("อันดับในประเทศ", "Rank in country"),
    "target": ("เป้าหมาย", "Target"),
    "goal": ("เป้าหมายที่", "Goal"),
}


def _w(key: str, language: str) -> str:
    return pick(WORDS[key], language)


@dataclass(frozen=True)
class Measure:
    """What a map or bar chart shows: a score (1–5) or a KPI's raw value with its unit."""

    kind: str  # "score" or "value"
    name_th: str
    name_en: str
    unit_th: str = ""
    unit_en: str = ""
    decimals: int = 2
    direction: str = "higher_better"
    thresholds: tuple[float, ...] | None = None

    @property
    def column(self) -> str:
        return "score" if self.kind == "score" else "value"

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_th

    def unit(self, language: str) -> str:
        return self.unit_en if language == "en" else self.unit_th

    def format(self, value, language: str, *, with_unit: bool = True) -> str:
        """The value as shown: a score with 2 decimals, a KPI value with its decimals and unit."""
        if self.kind == "score":
            return format_score(value)
        if not with_unit:
            return format_number(None if is_missing(value) else float(value), self.decimals)
        return format_value(None if is_missing(value) else float(value), self.decimals, self.unit(language))

    @classmethod
    def goal_score(cls, goal: str) -> Measure:
        """The score of goal G1..G6, or of all six ("ALL")."""
        if goal == "ALL":
            name_th, name_en = WORDS["overall"]
        else:
            name_th = f"{WORDS['goal'][0]} {goal[1:]} {GOAL_NAMES[goal][0]}"
            name_en = f"{WORDS['goal'][1]} {goal[1:]}: {GOAL_NAMES[goal][1]}"
        return cls("score", name_th, name_en, WORDS["score"][0] + " (1–5)", WORDS["score"][1] + " (1–5)")

    @classmethod
    def kpi_value(cls, kpi) -> Measure:
        """The raw value of a catalog KPI (`data.rules.catalog.KPI`)."""
        return cls("value", kpi.name.th, kpi.name.en, kpi.unit.th, kpi.unit.en, kpi.decimals, kpi.direction.value,
                   tuple(kpi.thresholds) if kpi.thresholds else None)


def colour_scale(measure: Measure, values: Sequence[float] | pd.Series) -> tuple[list, float, float]:
    """(colorscale, zmin, zmax) for `measure` over `values`, per the rules in the module doc."""
    if measure.kind == "score":
        return SCORE_SCALE, 1.0, 5.0
    if measure.thresholds and measure.direction in ("higher_better", "lower_better"):
        points = np.asarray(measure.thresholds, dtype=float)
        return _threshold_scale(points, dict(SCORE_STOPS)), float(points.min()), float(points.max())
    finite = pd.Series(values, dtype=float).dropna()
    # the 5th to 95th percentile, so one outlier (Bangkok's economy) does not flatten the rest
    low, high = (float(finite.quantile(0.05)), float(finite.quantile(0.95))) if not finite.empty else (0.0, 1.0)
    if high <= low:
        low, high = low - 0.5, high + 0.5
    if measure.direction == "higher_better":
        return BETTER_SCALE, low, high
    if measure.direction == "lower_better":
        return [[1.0 - position, colour] for position, colour in reversed(BETTER_SCALE)], low, high
    return NEUTRAL_SCALE, low, high


def _threshold_scale(points: np.ndarray, colours: dict[float, str]) -> list:
    """A colorscale whose stops are the KPI's thresholds, each with its score's colour."""
    low, high = float(points.min()), float(points.max())
    stops = sorted(((float(p) - low) / (high - low), colours[float(score)]) for score, p in enumerate(points, start=1))
    return [[position, colour] for position, colour in stops]


def colours_for(measure: Measure, values: Sequence[float] | pd.Series, scale_values=None) -> list[str]:
    """The colour of each value, as the map would draw it (grey where missing)."""
    scale, low, high = colour_scale(measure, values if scale_values is None else scale_values)
    out = []
    for value in values:
        if is_missing(value):
            out.append(NO_DATA_COLOUR)
            continue
        position = min(max((float(value) - low) / (high - low), 0.0), 1.0)
        out.append(_hex(sample_colorscale(scale, [position])[0]))
    return out


def _hex(colour: str) -> str:
    if colour.startswith("#"):
        return colour
    red, green, blue = (int(round(float(c))) for c in colour[colour.index("(") + 1:-1].split(",")[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def base_layout(**extra) -> dict:
    """Layout settings every figure shares: Sarabun, white background, tight margins."""
    layout = dict(font=dict(family=FONT_FAMILY, size=14, color="#212529"),
                  hoverlabel=dict(font=dict(family=FONT_FAMILY, size=14)),
                  paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                  margin=dict(l=0, r=0, t=0, b=0))
    layout.update(extra)
    return layout


# Figures built as plain data skip plotly's property validation, which costs a page tens to
# hundreds of ms of server time; the tests set POC_VALIDATE_FIGURES=1, so every figure they
# build is validated there.
VALIDATE_FIGURES = os.environ.get("POC_VALIDATE_FIGURES") == "1"


def figure_from(data: list[dict], layout: dict) -> go.Figure:
    """A go.Figure of plain trace and layout dictionaries (validated only under the tests)."""
    return go.Figure(dict(data=data, layout=layout), _validate=VALIDATE_FIGURES)


# =========================================================================== maps


def hover_text(frame: pd.DataFrame, measure: Measure, language: str) -> list[str]:
    """The hover of each area: name, the measure with its unit, score and status, ranks."""
    name_column = "name_en" if language == "en" else "name_th"
    texts = []
    for row in frame.to_dict("records"):
        badge = status_badge(row.get("status"))
        lines = [f"<b>{row.get(name_column) or row.get('area_code')}</b>", measure.name(language)]
        value = row.get(measure.column)
        if is_missing(value):
            lines.append(f"<i>{_w('no_data', language)}</i>")
        else:
            lines.append(f"<b>{measure.format(value, language)}</b>")
            if measure.kind == "value" and not is_missing(row.get("score")):
                lines.append(f"{_w('score', language)} {format_score(row.get('score'))}")
            if measure.kind == "value" and not is_missing(row.get("target")):
                lines.append(f"{_w('target', language)} {measure.format(row.get('target'), language)}")
            lines.append(f"<span style='color:{badge.colour}'>{badge.symbol}</span> {badge.word(language)}")
        for key in ("country", "cluster"):
            rank = format_rank(row.get(f"rank_{key}"), row.get(f"{key}_size"))
            if rank != "–" and not (key == "cluster" and row.get("cluster_size") == 1):
                lines.append(f"{_w('rank_' + key, language)} {rank}")
        texts.append("<br>".join(lines))
    return texts


def choropleth_figure(frame: pd.DataFrame, geojson: dict, measure: Measure, language: str = "th", *,
                      height: int = 620, show_scale: bool = True) -> go.Figure:
    """A choropleth of the areas in `frame` (columns area_code, name_th, name_en, the measure's
    column — score or value — and optionally status, score, target, ranks and `href`).

    `geojson` features carry `id` = area code (imported boundaries or the tile grid). Features
    with `properties.short` and `properties.centre` (the tile grid) get their label drawn.
    Each area's `href` is its customdata[0], so a click can open it.
    """
    column = measure.column
    frame = frame.copy()
    frame[column] = pd.to_numeric(frame.get(column), errors="coerce")
    links = frame["href"] if "href" in frame else pd.Series("", index=frame.index)
    hovers = hover_text(frame, measure, language)
    scale, low, high = colour_scale(measure, frame[column])
    present = frame[column].notna().to_numpy()
    hovers_array = np.asarray(hovers, dtype=object)
    traces: list[dict] = []
    if (~present).any():
        traces.append(dict(
            type="choropleth", geojson=geojson, featureidkey="id", locations=frame["area_code"][~present].to_numpy(),
            z=np.zeros(int((~present).sum())), colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
            showscale=False, hovertext=hovers_array[~present], hovertemplate="%{hovertext}<extra></extra>",
            customdata=links[~present].to_numpy().reshape(-1, 1), marker=dict(line=dict(color=BORDER_COLOUR, width=0.8)),
            name=_w("no_data", language)))
    colorbar = dict(title=dict(text=measure.unit(language), side="right"), thickness=14, len=0.6,
                    tickformat=",." + str(0 if measure.kind == "value" and measure.decimals == 0 else
                                          (0 if measure.kind == "score" else min(measure.decimals, 2))) + "f")
    if measure.kind == "score":
        colorbar.update(tickvals=[1, 2, 3, 4, 5])
    traces.append(dict(
        type="choropleth", geojson=geojson, featureidkey="id", locations=frame["area_code"][present].to_numpy(),
        z=frame[column][present].to_numpy(), zmin=low, zmax=high, colorscale=scale,
        showscale=show_scale and bool(present.any()), colorbar=colorbar,
        hovertext=hovers_array[present], hovertemplate="%{hovertext}<extra></extra>",
        customdata=links[present].to_numpy().reshape(-1, 1), marker=dict(line=dict(color=BORDER_COLOUR, width=0.8)),
        name=measure.name(language)))
    labels = [f for f in geojson.get("features", []) if {"short", "centre"} <= set(f.get("properties", {}))]
    shown = set(frame["area_code"])
    labels = [f for f in labels if f["id"] in shown]
    if labels:
        colours = dict(zip(frame["area_code"], colours_for(measure, frame[column], frame[column])))
        traces.append(dict(
            type="scattergeo",
            lon=[f["properties"]["centre"][0] for f in labels], lat=[f["properties"]["centre"][1] for f in labels],
            text=[f["properties"]["short"] for f in labels], mode="text", hoverinfo="skip",
            textfont=dict(family=FONT_FAMILY, size=12,
                          color=[_label_colour(colours.get(f["id"], NO_DATA_COLOUR)) for f in labels]),
            showlegend=False))
    if labels and geojson.get("bbox"):
        # the tile grid: fitbounds leaves its small squares tiny, so frame its bbox exactly
        west, south, east, north = geojson["bbox"]
        geo = dict(fitbounds=False, projection=dict(type="equirectangular"), lonaxis=dict(range=[west - 0.2, east + 0.2]),
                   lataxis=dict(range=[south - 0.2, north + 0.2]), visible=False, bgcolor="rgba(0,0,0,0)")
    else:
        geo = dict(fitbounds="locations", visible=False, projection=dict(type="mercator"), bgcolor="rgba(0,0,0,0)")
    return figure_from(traces, base_layout(height=height, dragmode=False, clickmode="event", geo=geo))


def _label_colour(background: str) -> str:
    """Black or white text, whichever reads better on `background`."""
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#212529" if (0.299 * red + 0.587 * green + 0.114 * blue) > 150 else "#ffffff"


def ranked_bars_figure(frame: pd.DataFrame, measure: Measure, language: str = "th", *, best_first: bool = True,
                       bar_height: int = 22) -> go.Figure:
    """Horizontal bars of the areas in `frame`, best first, coloured as the map colours them
    (the fallback where no boundaries are imported, and a ranking view)."""
    column = measure.column
    frame = frame.copy()
    frame[column] = pd.to_numeric(frame.get(column), errors="coerce")
    better_high = measure.kind == "score" or measure.direction != "lower_better"
    # by the value as shown (rounded), ties by area code: the order of the tables beside the bars
    ascending = not (better_high == best_first)
    frame = (frame.assign(_shown=frame[column].round(measure.decimals))
             .sort_values(["_shown", "area_code"], ascending=[ascending, True], na_position="last", kind="stable"))
    name_column = "name_en" if language == "en" else "name_th"
    names = frame[name_column].fillna(frame["area_code"]).tolist()
    values = frame[column].fillna(0 if measure.kind == "value" else 1)
    # numbers only beside the bars, the unit once under the axis: a long Thai unit
    # ("ต่อประชากรแสนคน") beside every bar would run past the card's edge
    labels = [measure.format(v, language, with_unit=False) if not is_missing(v) else _w("no_data", language)
              for v in frame[column]]
    bar = dict(
        type="bar", y=names, x=(values - (1 if measure.kind == "score" else 0)).to_numpy(), orientation="h",
        marker=dict(color=colours_for(measure, frame[column])),
        text=labels, textposition="outside", cliponaxis=False, textfont=dict(size=min(14, bar_height - 3)),
        hovertext=hover_text(frame, measure, language), hovertemplate="%{hovertext}<extra></extra>",
        customdata=(frame["href"] if "href" in frame else pd.Series("", index=frame.index)).to_numpy().reshape(-1, 1))
    x_axis = dict(showgrid=True, gridcolor="#e9ecef", zeroline=False, tickformat=",")
    bottom = 30
    if measure.kind == "score":
        bar["base"] = 1
        x_axis["range"] = [1, 5.6]
    elif measure.unit(language):
        x_axis["title"] = dict(text=measure.unit(language), font=dict(size=12), standoff=4)
        bottom = 48
    # room right of the longest bar for its label (digits of 14 px Sarabun are about 8 px wide)
    right = max(40, 10 + 8 * max((len(label) for label in labels), default=0))
    return figure_from([bar], base_layout(height=max(160, bar_height * len(frame) + 30 + bottom),
                                          margin=dict(l=0, r=right, t=10, b=bottom), bargap=0.25,
                                          # every area named, in a size its row holds (plotly would skip every
                                          # other name once they no longer fit at 14 px)
                                          yaxis=dict(autorange="reversed", automargin=True, dtick=1,
                                                     tickfont=dict(size=min(14, bar_height - 3))),
                                          xaxis=x_axis))


# =========================================================================== small figures


def sparkline_figure(values: Sequence[float], status: str | None = None, *, width: int = 120,
                     height: int = 34) -> go.Figure:
    """A word-sized line of the latest `values` (oldest first); the last point in the status colour."""
    points = [float(v) for v in (values or ()) if not is_missing(v)]
    figure = go.Figure()
    if points:
        x = list(range(len(points)))
        figure.add_trace(go.Scatter(x=x, y=points, mode="lines", line=dict(color="#6c757d", width=1.6),
                                    hoverinfo="skip"))
        figure.add_trace(go.Scatter(x=[x[-1]], y=[points[-1]], mode="markers", hoverinfo="skip",
                                    marker=dict(color=status_badge(status).colour, size=7,
                                                line=dict(color="#ffffff", width=1))))
    figure.update_xaxes(visible=False, range=[-0.4, max(len(points) - 1, 1) + 0.4])
    low, high = (min(points), max(points)) if points else (0.0, 1.0)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0  # a flat line sits in the middle
    figure.update_yaxes(visible=False, range=[low - pad, high + pad])
    figure.update_layout(**base_layout(width=width, height=height, showlegend=False))
    return figure


def sparkline_svg(values: Sequence[float], status: str | None = None, *, width: int = 120, height: int = 34,
                  label: str = "") -> str:
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
    coords = [(margin + i * step if len(points) > 1 else width / 2,
               height - margin - (v - low) / (high - low) * (height - 2 * margin)) for i, v in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" class="sparkline"{described}>'
            + (f"<title>{escape(label)}</title>" if label else "") +
            f'<polyline points="{path}" fill="none" stroke="#6c757d" stroke-width="1.6" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3.5" fill="{status_badge(status).colour}" '
            f'stroke="#ffffff" stroke-width="1"/></svg>')


def goal_bullet_figure(goals: pd.DataFrame, language: str = "th", *, watch: float = 2.0, on_target: float = 3.0,
                       height: int | None = None, fill: bool = False) -> go.Figure:
    """One bullet bar per goal (rows goal G1..G6 and optionally ALL, with score and status):
    the bands are the status ranges, the bar the score in its status colour, the line the
    on-target cut-off."""
    frame = goals.copy()
    labels = [pick(WORDS["overall"], language) if g == "ALL" else f"{pick(WORDS['goal'], language)} {g[1:]}"
              for g in frame["goal"]]
    scores = pd.to_numeric(frame["score"], errors="coerce")
    statuses = frame["status"] if "status" in frame else pd.Series("no_data", index=frame.index)
    colours = [status_badge(s).colour for s in statuses]
    # beside the bar the score and the status symbol (the goal tiles beside the chart give the
    # words; in a narrow card the words ran over the bands and the cut-off line); words on hover
    texts = [f"{format_score(s)} {status_badge(st).symbol}" if not is_missing(s) else pick(WORDS["no_data"], language)
             for s, st in zip(scores, statuses)]
    hovers = [f"{label}: {format_score(s)} {status_badge(st).symbol} {status_badge(st).word(language)}"
              if not is_missing(s) else f"{label}: {pick(WORDS['no_data'], language)}"
              for label, s, st in zip(labels, scores, statuses)]
    bar = dict(type="bar", y=labels, x=(scores.fillna(1.0) - 1.0).to_numpy(), base=1.0, orientation="h",
               marker=dict(color=colours), width=0.45, text=texts, textposition="outside", cliponaxis=False,
               hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>")
    shapes = [dict(type="rect", xref="x", yref="paper", x0=start, x1=end, y0=0, y1=1, fillcolor=colour,
                   line=dict(width=0), layer="below")
              for start, end, colour in ((1, watch, "#fbe3e3"), (watch, on_target, "#fdf1cf"), (on_target, 5, "#e3f1e4"))]
    # under the bars and their labels: a score just below the cut-off writes its label across it
    shapes.append(dict(type="line", xref="x", yref="paper", x0=on_target, x1=on_target, y0=0, y1=1,
                       line=dict(color="#1b5e20", width=2, dash="dot"), layer="below"))
    layout = base_layout(height=height or 44 * len(frame) + 40, margin=dict(l=0, r=10, t=5, b=25), shapes=shapes,
                         yaxis=dict(autorange="reversed", automargin=True),
                         xaxis=dict(range=[1, 6.4], tickvals=[1, 2, 3, 4, 5], showgrid=False, zeroline=False))
    if fill:  # as tall as the element that holds it (see `layouts.scorecard.overall_card`)
        layout.pop("height")
    return figure_from([bar], layout)


__all__ = ["FONT_FAMILY", "MAP_CONFIG", "STATIC_CONFIG", "Measure", "SCORE_SCALE", "STATUS", "choropleth_figure", "colour_scale", "colours_for",
           "goal_bullet_figure", "hover_text", "ranked_bars_figure", "sparkline_figure"]


# =========================================================================== a KPI over time (appended)


def series_figure(frame: pd.DataFrame, measure: Measure, language: str = "th", *, height: int | None = 320) -> go.Figure:
    """A KPI of one area over time (rows oldest first: label_th/label_en, value, target, score,
    status): a grey line, each point in its status colour, the target as a dashed line.
    `height=None`: as tall as the element that holds it."""
    labels = frame["label_en" if language == "en" else "label_th"].tolist() if not frame.empty else []
    values = pd.to_numeric(frame.get("value", pd.Series(dtype=float)), errors="coerce")
    targets = pd.to_numeric(frame.get("target", pd.Series(np.nan, index=frame.index)), errors="coerce")
    statuses = frame["status"] if "status" in frame else pd.Series("no_data", index=frame.index)
    hovers = []
    for label, value, score, status in zip(labels, values, frame.get("score", pd.Series(np.nan, index=frame.index)),
                                           statuses):
        badge = status_badge(status)
        line = f"<b>{label}</b><br>{measure.format(value, language)}"
        if not is_missing(score):
            line += f"<br>{_w('score', language)} {format_score(score)}"
        hovers.append(line + f"<br><span style='color:{badge.colour}'>{badge.symbol}</span> {badge.word(language)}")
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=labels, y=values, mode="lines+markers", line=dict(color="#6c757d", width=2),
        marker=dict(size=11, color=[status_badge(s).colour for s in statuses], line=dict(color="#ffffff", width=1.5)),
        hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>", name=measure.name(language), showlegend=False))
    if targets.notna().any():
        figure.add_trace(go.Scatter(
            x=labels, y=targets, mode="lines", line=dict(color="#1b5e20", width=2, dash="dash"),
            name=_w("target", language), hovertemplate=f"{_w('target', language)} %{{y:,.{measure.decimals}f}}<extra></extra>"))
    figure.update_yaxes(title=dict(text=measure.unit(language)), showgrid=True, gridcolor="#e9ecef", zeroline=False,
                        tickformat=",")
    figure.update_xaxes(type="category", showgrid=False)
    figure.update_layout(**base_layout(height=height, margin=dict(l=10, r=10, t=10, b=40),
                                       legend=dict(orientation="h", y=1.08, x=0)))
    return figure


# =========================================================================== cluster comparison

# one colour per province of a cluster (at most six): distinct, none of them a status colour
PROVINCE_COLOURS = ("#1f5fa8", "#8e44ad", "#00897b", "#d35400", "#5d4037", "#c2185b")
CELL_TEXT_MAX = 46  # a KPI name longer than this is cut on the heatmap axis (the hover has it whole)


def _short(text: str, limit: int = CELL_TEXT_MAX) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def score_heatmap_figure(frame: pd.DataFrame, language: str = "th", *, provinces: Sequence[str] | None = None,
                         goals: Sequence[str] | None = None, row_height: int = 26) -> go.Figure:
    """KPIs (rows, grouped by goal: one panel per goal) × provinces (columns), each cell the
    KPI's score on the fixed 1–5 scale with its status symbol as text; cells without a score
    are grey and read "–". `frame` is `data.query.cluster_comparison` (area_code, names,
    kpi_id, goal, kpi_name_*, unit_*, decimals, value, score, status, rank_cluster,
    cluster_size) in display order, optionally with `href` (a cell's customdata, so a click
    opens it). Built as plain data (see `figure_from`): 60 KPIs × 4 provinces were 0.2-0.3 s
    through make_subplots and validated trace objects, most of a cluster page's server time."""
    name_column = "name_en" if language == "en" else "name_th"
    kpi_column = "kpi_name_en" if language == "en" else "kpi_name_th"
    unit_column = "unit_en" if language == "en" else "unit_th"
    codes = list(provinces) if provinces is not None else list(dict.fromkeys(frame["area_code"]))
    names = frame.drop_duplicates("area_code").set_index("area_code")[name_column]
    columns = [str(names.get(code, code)) for code in codes]
    present_goals = [g for g in (goals or GOAL_NAMES) if g in set(frame["goal"])]
    if not present_goals:
        return figure_from([], base_layout(height=120))
    records: dict[str, list[dict]] = {}
    for record in frame.to_dict("records"):
        records.setdefault(record["goal"], []).append(record)
    kpi_orders = [list(dict.fromkeys(r["kpi_id"] for r in records[goal])) for goal in present_goals]
    counts = [len(order) for order in kpi_orders]
    spacing = min(0.3 / len(present_goals), 40 / (row_height * sum(counts) + 40))
    domains = _stacked_domains(counts, spacing)
    traces: list[dict] = []
    layout = base_layout(height=row_height * sum(counts) + 48 * len(present_goals) + 90,
                         margin=dict(l=0, r=0, t=80, b=10), dragmode=False, clickmode="event", annotations=[])
    bottom = f"x{len(present_goals)}" if len(present_goals) > 1 else "x"
    for index, (goal, kpi_order, domain) in enumerate(zip(present_goals, kpi_orders, domains), start=1):
        cells = {(r["kpi_id"], r["area_code"]): r for r in records[goal]}
        labels = {}
        for record in records[goal]:
            labels.setdefault(record["kpi_id"], record.get(kpi_column))
        z, grey, text, hover, links = [], [], [], [], []
        for kpi_id in kpi_order:
            z_row, grey_row, text_row, hover_row, link_row = [], [], [], [], []
            for code, column_name in zip(codes, columns):
                cell = cells.get((kpi_id, code), {})
                score = cell.get("score")
                badge = status_badge(cell.get("status"))
                scored = not is_missing(score)
                z_row.append(float(score) if scored else None)
                grey_row.append(None if scored else 0.0)
                text_row.append(f"{format_score(score)} {badge.symbol}" if scored else "–")
                decimals = 0 if is_missing(cell.get("decimals")) else int(cell.get("decimals"))
                value = cell.get("value")
                lines = [f"<b>{column_name}</b>", str(cell.get(kpi_column, kpi_id))]
                if is_missing(value):
                    lines.append(f"<i>{_w('no_data', language)}</i>")
                else:
                    lines.append(f"<b>{format_value(float(value), decimals, str(cell.get(unit_column) or ''))}</b>")
                if scored:
                    lines.append(f"{_w('score', language)} {format_score(score)}")
                lines.append(f"{badge.symbol} {badge.word(language)}")
                rank = format_rank(cell.get("rank_cluster"), cell.get("cluster_size"))
                if rank != "–":
                    lines.append(f"{_w('rank_cluster', language)} {rank}")
                hover_row.append("<br>".join(lines))
                link_row.append(str(cell.get("href") or ""))
            z.append(z_row), grey.append(grey_row), text.append(text_row), hover.append(hover_row)
            links.append(link_row)
        suffix = "" if index == 1 else str(index)
        common = dict(type="heatmap", x=columns, y=kpi_order, text=text, texttemplate="%{text}", customdata=links,
                      xgap=2, ygap=2, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                      textfont=dict(size=13), xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        traces.append(dict(z=grey, colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], zmin=0, zmax=1,
                           showscale=False, name=_w("no_data", language), **common))
        traces.append(dict(z=z, colorscale=SCORE_SCALE, zmin=1, zmax=5, showscale=index == 1, name=_w("score", language),
                           colorbar=dict(title=dict(text=_w("score", language) + " (1–5)", side="right"),
                                         tickvals=[1, 2, 3, 4, 5], thickness=14,
                                         len=min(1.0, 500 / (row_height * sum(counts) + 80)), y=1, yanchor="top"),
                           **common))
        x_axis = dict(anchor=f"y{suffix}", domain=[0.0, 1.0], showgrid=False, fixedrange=True)
        if f"x{suffix}" != bottom:
            x_axis.update(matches=bottom, showticklabels=index == 1)
        if index == 1:
            x_axis.update(side="top", showticklabels=True, tickfont=dict(size=14))
        layout[f"xaxis{suffix}"] = x_axis
        layout[f"yaxis{suffix}"] = dict(anchor=f"x{suffix}", domain=list(domain), autorange="reversed",
                                        automargin=True, showgrid=False, fixedrange=True, tickvals=kpi_order,
                                        ticktext=[_short(str(labels[k])) for k in kpi_order])
        layout["annotations"].append(dict(  # the goal's title, left-aligned above its panel
            text=f"<b>{goal}</b> {pick(GOAL_NAMES[goal], language)}", x=0, xanchor="left", xref="paper",
            y=domain[1], yanchor="bottom", yref="paper", showarrow=False, font=dict(family=FONT_FAMILY, size=14),
            yshift=26 if index == 1 else 0))  # the first sits above the province names
    return figure_from(traces, layout)


def _stacked_domains(heights: Sequence[int], spacing: float) -> list[tuple[float, float]]:
    """Vertical paper domains of panels stacked top to bottom, each as tall as its share of
    `heights`, `spacing` apart (what plotly's make_subplots computes for one column)."""
    available = 1.0 - spacing * (len(heights) - 1)
    total = sum(heights)
    domains, top = [], 1.0
    for height in heights:
        bottom = max(0.0, top - available * height / total)
        domains.append((bottom, top))
        top = bottom - spacing
    return domains


def goal_radar_figure(goal_scores: pd.DataFrame, language: str = "th", *, provinces: Sequence[str] | None = None,
                      height: int = 420) -> go.Figure:
    """The six goal scores of each province as a radar, one trace per province (scale 1–5, so
    the shapes compare). `goal_scores` is `province_goal_scores` for the provinces shown:
    area_code, name_th/name_en, goal, score, status. A goal without a score is left out of
    that province's shape (a gap, not a zero)."""
    name_column = "name_en" if language == "en" else "name_th"
    codes = list(provinces) if provinces is not None else list(dict.fromkeys(goal_scores["area_code"]))
    goals = list(GOAL_NAMES)
    axis = [f"{pick(WORDS['goal'], language)} {g[1:]}" for g in goals]
    traces: list[dict] = []
    for index, code in enumerate(codes):
        rows = goal_scores[(goal_scores["area_code"] == code)].set_index("goal")
        if rows.empty:
            continue
        scores = [rows["score"].get(g) for g in goals]
        r = [None if is_missing(s) else float(s) for s in scores]
        hovers = [f"<b>{rows[name_column].iloc[0]}</b><br>{label}: {pick(GOAL_NAMES[g], language)}<br>"
                  f"{_w('score', language)} {format_score(s)} {status_badge(rows['status'].get(g)).symbol} "
                  f"{status_badge(rows['status'].get(g)).word(language)}" for g, label, s in zip(goals, axis, scores)]
        colour = PROVINCE_COLOURS[index % len(PROVINCE_COLOURS)]
        traces.append(dict(
            type="scatterpolar", r=r + r[:1], theta=axis + axis[:1], name=str(rows[name_column].iloc[0]),
            mode="lines+markers",
            line=dict(color=colour, width=2), marker=dict(size=6, color=colour), fill="toself",
            fillcolor=_transparent(colour, 0.06), hovertext=hovers + hovers[:1],
            hovertemplate="%{hovertext}<extra></extra>", connectgaps=False))
    return figure_from(traces, base_layout(
        height=height, margin=dict(l=40, r=40, t=30, b=30),
        polar=dict(bgcolor="rgba(0,0,0,0)",
                   radialaxis=dict(range=[1, 5], tickvals=[1, 2, 3, 4, 5], angle=0, tickangle=0,
                                   gridcolor="#dee2e6", tickfont=dict(size=11)),
                   angularaxis=dict(direction="clockwise", gridcolor="#dee2e6", tickfont=dict(size=13))),
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0.5, xanchor="center", font=dict(size=13)),
        showlegend=True))


def _transparent(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


__all__ += ["PROVINCE_COLOURS", "goal_radar_figure", "score_heatmap_figure"]
