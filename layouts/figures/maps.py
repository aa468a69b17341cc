"""Maps: a choropleth of areas on a goal's score or a KPI's value, and the hover every area's
shape (or bar) shows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.rules.areas import name_column
from geo.tilegrid import tile_label
from layouts.figures.common import Measure, base_layout, colour_scale, colours_for, figure_from, status_line
from layouts.text.format import format_rank, format_score, is_missing
from layouts.text.i18n import t
from layouts.theme import BORDER_COLOUR, FONT_FAMILY, LIGHT_TEXT, NO_DATA_COLOUR, TEXT, TRANSPARENT

# the word before each rank in a hover ("rank_cluster_hover" names the cluster in full)
RANK_WORDS = {"country": "rank_country", "cluster": "rank_cluster_hover"}


def hover_text(frame: pd.DataFrame, measure: Measure, language: str) -> list[str]:
    """The hover of each area: name, the measure with its unit, score and status, ranks."""
    column = name_column(language)
    texts = []
    for row in frame.to_dict("records"):
        lines = [f"<b>{row.get(column) or row.get('area_code')}</b>", measure.name(language)]
        value = row.get(measure.column)
        if is_missing(value):
            lines.append(f"<i>{t('no_data', language)}</i>")
        else:
            lines.append(f"<b>{measure.format(value, language)}</b>")
            if measure.kind == "value" and not is_missing(row.get("score")):
                lines.append(f"{t('score', language)} {format_score(row.get('score'))}")
            if measure.kind == "value" and not is_missing(row.get("target")):
                lines.append(f"{t('target', language)} {measure.format(row.get('target'), language)}")
            lines.append(status_line(row.get("status"), language))
        for key, word in RANK_WORDS.items():
            rank = format_rank(row.get(f"rank_{key}"), row.get(f"{key}_size"))
            if rank != "–" and not (key == "cluster" and row.get("cluster_size") == 1):
                lines.append(f"{t(word, language)} {rank}")
        texts.append("<br>".join(lines))
    return texts


def choropleth_figure(
    frame: pd.DataFrame,
    geojson: dict,
    measure: Measure,
    language: str = "th",
    *,
    height: int = 620,
    width: int | None = None,
    show_scale: bool = True,
) -> go.Figure:
    """A choropleth of the areas in `frame` (columns area_code, name_th, name_en, the measure's
    column — score or value — and optionally status, score, target, ranks and `href`).

    `geojson` features carry `id` = area code (imported boundaries or the tile grid). Features
    with `properties.short` and `properties.centre` (the tile grid) get their label drawn.
    Each area's `href` is its customdata[0], so a click can open it.
    """
    column = measure.column
    frame = frame.copy()
    frame[column] = pd.to_numeric(frame.get(column), errors="coerce")
    links = (frame["href"] if "href" in frame else pd.Series("", index=frame.index)).to_numpy()
    hovers = np.asarray(hover_text(frame, measure, language), dtype=object)
    codes = frame["area_code"].to_numpy()
    scale, low, high = colour_scale(measure, frame[column])
    present = frame[column].notna().to_numpy()
    traces: list[dict] = []
    if (~present).any():
        grey = dict(
            z=np.zeros(int((~present).sum())), colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False
        )
        traces.append(
            _areas_trace(geojson, codes[~present], grey, hovers[~present], links[~present], t("no_data", language))
        )
    coloured = dict(
        z=frame[column][present].to_numpy(),
        zmin=low,
        zmax=high,
        colorscale=scale,
        showscale=show_scale and bool(present.any()),
        colorbar=_colorbar(measure, language),
    )
    traces.append(
        _areas_trace(geojson, codes[present], coloured, hovers[present], links[present], measure.name(language))
    )
    labels = [f for f in geojson.get("features", []) if {"short", "centre"} <= set(f.get("properties", {}))]
    shown = set(frame["area_code"])
    labels = [f for f in labels if f["id"] in shown]
    if labels:
        colours = dict(zip(frame["area_code"], colours_for(measure, frame[column], frame[column])))
        traces.append(_labels_trace(labels, colours, language, tile_label_size(width, height, language)))
    return figure_from(
        traces, base_layout(height=height, dragmode=False, clickmode="event", geo=_geo(geojson, bool(labels)))
    )


def _areas_trace(
    geojson: dict, codes: np.ndarray, colouring: dict, hovers: np.ndarray, links: np.ndarray, name: str
) -> dict:
    """One choropleth trace of the areas `codes`, coloured per `colouring` (z, scale, colorbar)."""
    return dict(
        type="choropleth",
        geojson=geojson,
        featureidkey="id",
        locations=codes,
        **colouring,
        hovertext=hovers,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=links.reshape(-1, 1),
        marker=dict(line=dict(color=BORDER_COLOUR, width=0.8)),
        name=name,
    )


def _colorbar(measure: Measure, language: str) -> dict:
    """The colour bar: the unit as its title; whole scores, or the KPI's decimals (two at most)."""
    digits = 0 if measure.kind == "score" or measure.decimals == 0 else min(measure.decimals, 2)
    colorbar = dict(
        title=dict(text=measure.unit(language), side="right"), thickness=14, len=0.6, tickformat=f",.{digits}f"
    )
    if measure.kind == "score":
        colorbar.update(tickvals=[1, 2, 3, 4, 5])
    return colorbar


def tile_label_size(width: int | None, height: int, language: str) -> int:
    """The font size (px) at which a tile's label fits inside its tile: the grid is 9 tiles wide and
    17 high (with the frame's margins about 10.5 and 19), so a tile is as big as the smaller share
    of the figure's width and height. An English label (CMI) takes three Latin capitals, about
    0.45 of its size each; a Thai one (ชม) two letters. Never above 12 px, never below 7."""
    tile = min((width or 10_000) / 10.5, height / 19)
    size = tile * (0.42 if language == "en" else 0.62)
    return int(max(7, min(12, round(size))))


def _labels_trace(labels: list[dict], colours: dict[str, str], language: str = "th", size: int = 12) -> dict:
    """The tile grid's short names in the view's language, each in black or white as reads better on its tile."""
    return dict(
        type="scattergeo",
        lon=[f["properties"]["centre"][0] for f in labels],
        lat=[f["properties"]["centre"][1] for f in labels],
        text=[tile_label(f["properties"], language) for f in labels],
        mode="text",
        hoverinfo="skip",
        textfont=dict(
            family=FONT_FAMILY, size=size, color=[_label_colour(colours.get(f["id"], NO_DATA_COLOUR)) for f in labels]
        ),
        showlegend=False,
    )


def _geo(geojson: dict, labelled: bool) -> dict:
    """The map's frame: the tile grid's bbox exactly (fitbounds leaves its small squares tiny),
    or the areas shown."""
    if labelled and geojson.get("bbox"):
        west, south, east, north = geojson["bbox"]
        return dict(
            fitbounds=False,
            projection=dict(type="equirectangular"),
            lonaxis=dict(range=[west - 0.2, east + 0.2]),
            lataxis=dict(range=[south - 0.2, north + 0.2]),
            visible=False,
            bgcolor=TRANSPARENT,
        )
    return dict(fitbounds="locations", visible=False, projection=dict(type="mercator"), bgcolor=TRANSPARENT)


def _label_colour(background: str) -> str:
    """Black or white text, whichever reads better on `background`."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return TEXT if (0.299 * red + 0.587 * green + 0.114 * blue) > 150 else LIGHT_TEXT
