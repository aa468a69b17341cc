"""The wall screen's slides drawn as figures: a map of the headline KPI (bars where no
boundaries are imported; a card per area for a few areas) beside the area's own value and the
best and worst areas, and the trends of key KPIs, each figure with its text alternative. Pure:
frames in; (markup, {name: figure}) out, each figure from `layouts.figures` made to fill its box
on the wall in the screen's theme (`wall_figure`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

import pandas as pd
import plotly.graph_objects as go
import plotly.io

from layouts.figures import Measure, choropleth_figure, ranked_bars_figure, series_figure
from layouts.figures.described import areas_text, series_text
from layouts.text.format import tag
from layouts.text.i18n import t
from layouts.theme import LINE, WALL_COLOURS, WALL_FONT_SIZE
from layouts.views.wall_areas import FEW_AREAS, area_cards, best_and_worst, ranked
from layouts.views.wall_slides import pill, row_name

# =========================================================================== figures on the wall


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


def figure_box(name: str, label: str) -> str:
    """Where wall.js draws figure `name` of the slide: an image to a screen reader, `label` its
    text alternative (the figure's own text is left to the eye)."""
    return tag("div", class_="wall-figure", data_figure=name, role="img", aria_label=label)


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
    """The headline KPI over the areas in `frame` beside this area's own value and the best and
    worst areas: a card per area for a few of them (up to FEW_AREAS: a cluster's provinces),
    else a choropleth (bars where no boundaries are imported) described in words for a screen
    reader."""
    few = 0 < len(frame) <= FEW_AREAS
    has_map = bool(geojson and geojson.get("features"))
    figures = {}
    if few:
        body = area_cards(frame, measure, language)
    else:
        figure = (
            choropleth_figure(frame, geojson, measure, language)
            if has_map
            else ranked_bars_figure(frame, measure, language)
        )
        order = ranked(frame, measure)
        described = pd.concat([order, frame[~frame["area_code"].isin(order["area_code"])]])
        body = figure_box("map", areas_text(described, measure, language, measure.name(language)).summary)
        figures["map"] = wall_figure(figure, theme)
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
                    escape(t("wall_map_area_value", language).format(name=row_name(here, language))),
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
    side += best_and_worst(frame, measure, language)
    if not has_map and not few:
        side.append(tag("div", escape(t("wall_bars_note", language)), class_="wall-note"))
    kind = "wall-map wall-map-few" if few else "wall-map"
    return tag("div", body, tag("div", *side, class_="wall-map-side"), class_=kind), figures


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
            body = figure_box(name, series_text(frame, measure, language, measure.name(language)).summary)
            figure = series_figure(frame, measure, language)
            figures[name] = wall_figure(_for_a_wall(figure, frame, language), theme)
        cards.append(tag("div", head, body, class_="wall-trend", data_kpi=measure.name_en))
    count = max(len(cards), 1)
    return tag("div", *cards, class_=f"wall-trends wall-trends-{count}"), figures


def _for_a_wall(figure: go.Figure, frame: pd.DataFrame, language: str) -> go.Figure:
    """A trend drawn for a card on the wall: the unit is in the card's head (no axis title); at
    most three periods named (the first, the middle and the latest), level and clear of the value
    axis's numbers; the target's key above the plot, not on its lines."""
    labels = frame["label_en" if language == "en" else "label_th"].astype(str).tolist()
    named = sorted({0, (len(labels) - 1) // 2, len(labels) - 1}) if len(labels) > 3 else range(len(labels))
    figure.update_yaxes(title_text="")
    figure.update_xaxes(
        tickangle=0, tickmode="array", tickvals=[labels[i] for i in named], automargin=True, ticklabelstandoff=12
    )
    figure.update_layout(
        margin=dict(l=10, r=40, t=34, b=10),
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="bottom"),
    )
    return figure


__all__ = ["map_slide", "subset_features", "trends_slide", "wall_figure"]
