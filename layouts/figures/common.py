"""What every figure shares: the `Measure` a figure shows, its colours (see the package doc),
the common layout and the plain-data `go.Figure` every builder returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from layouts.text.format import format_score, is_missing, status_badge
from layouts.text.i18n import GOAL_NAMES, format_number, format_value, t
from layouts.theme import (
    BETTER_SCALE,
    FONT_FAMILY,
    FONT_SIZE,
    NEUTRAL_SCALE,
    NO_DATA_COLOUR,
    SCORE_SCALE,
    SCORE_STOPS,
    TEXT,
    TRANSPARENT,
)
from settings import get_settings

# dcc.Graph config for maps: plotly.js fetches a world topojson for every geo subplot, from its
# CDN unless told otherwise; assets/topojson/ serves an empty one, so nothing leaves the server.
MAP_CONFIG = {
    "displayModeBar": False,
    "scrollZoom": False,
    "doubleClick": False,
    "responsive": True,
    "topojsonURL": "/assets/topojson/",
}
STATIC_CONFIG = {"staticPlot": True, "displayModeBar": False}


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
    # a value axis of it starts at zero (see `starts_at_zero`); a score's axis starts at 1, its scale's floor
    from_zero: bool = True

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
            name_th, name_en = t("overall_score", "th"), t("overall_score", "en")
        else:
            name_th = f"{t('goal_n', 'th').format(n=goal[1:])} {GOAL_NAMES[goal][0]}"
            name_en = f"{t('goal_n', 'en').format(n=goal[1:])}: {GOAL_NAMES[goal][1]}"
        return cls("score", name_th, name_en, t("score", "th") + " (1–5)", t("score", "en") + " (1–5)")

    @classmethod
    def kpi_value(cls, kpi) -> Measure:
        """The raw value of a catalog KPI (`data.rules.catalog.KPI`)."""
        return cls(
            "value",
            kpi.name.th,
            kpi.name.en,
            kpi.unit.th,
            kpi.unit.en,
            kpi.decimals,
            kpi.direction.value,
            tuple(kpi.thresholds) if kpi.thresholds else None,
            starts_at_zero(kpi),
        )


# an index or score on a scale of its own ("index (0-100)", "score (0-500)", "points (out of 100)")
BOUNDED_SCALES = ("index", "score", "points")


def starts_at_zero(kpi) -> bool:
    """Whether a value axis (bars, a trend) of the catalog KPI starts at zero, so a bar's length
    and a line's height are in proportion to the value. True for what is additive or a share: a
    sum of the areas (counts, money, areas, tonnes), a ratio of two sums (per cent, rates per
    population) and a weighted mean of such rates and amounts (per cent of households, THB per
    household, days). False, with the axis fitted to the values, for
    - a change in per cent (growth: its typical range goes below zero): zero is a level inside
      the range, drawn as the zero line, not a floor;
    - an index or score on a scale of its own (water quality index, ITA, PMQA, O-NET points),
      whose zero is no level an area reaches: from zero, differences of a few points that
      decide a rank would flatten into one length."""
    if kpi.typical_range[0] < 0:
        return False
    return not kpi.unit.en.strip().lower().startswith(BOUNDED_SCALES)


def colour_scale(measure: Measure, values: Sequence[float] | pd.Series) -> tuple[list, float, float]:
    """(colorscale, zmin, zmax) for `measure` over `values`, per the rules in the package doc."""
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
    red, green, blue = (int(round(float(c))) for c in colour[colour.index("(") + 1 : -1].split(",")[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def base_layout(**extra) -> dict:
    """Layout settings every figure shares: Sarabun, transparent background, tight margins."""
    layout = dict(
        font=dict(family=FONT_FAMILY, size=FONT_SIZE, color=TEXT),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=FONT_SIZE)),
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        margin=dict(l=0, r=0, t=0, b=0),
    )
    layout.update(extra)
    return layout


def figure_from(data: list[dict], layout: dict) -> go.Figure:
    """A go.Figure of plain trace and layout dictionaries. Plotly's property validation costs a
    page tens to hundreds of ms of server time, so it runs only under the setting
    `validate_figures` (POC_VALIDATE_FIGURES=1: the tests set it, so every figure they build is
    validated there)."""
    return go.Figure(dict(data=data, layout=layout), _validate=get_settings().validate_figures)


def status_line(status: str | None, language: str) -> str:
    """A hover's status: the symbol in the status colour, then the word."""
    badge = status_badge(status)
    return f"<span style='color:{badge.colour}'>{badge.symbol}</span> {badge.word(language)}"
