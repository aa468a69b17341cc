"""The figure builder: pure functions from DataFrames to `go.Figure`, shared by the pages, the
wall screen and the PDF, by kind — maps (`maps`), bars (`bars`), the cluster's heatmap and
radar (`heatmap`, `radar`), trends and sparklines (`trends`) — with the `Measure` they show
and their shared colours and layout in `common`. The colours themselves are `layouts.theme`'s.

Colour means the same thing everywhere: scores use one fixed 1–5 scale, red → amber → green,
whose stops sit on the status cut-offs; a scored KPI's raw values are coloured on the same
scale through its OPDC thresholds (so a district and a province with the same value look the
same); an unscored KPI follows its direction over the range shown (more is greener when higher
is better, reversed when lower is better, a neutral blue for context figures; the range is
the 5th–95th percentile shown, the ends clipped). Areas without
data are grey. Maps are `go.Choropleth` on GeoJSON with no basemap, so they work offline.
"""

from __future__ import annotations

from layouts.figures.bars import goal_bullet_figure, ranked_bars_figure
from layouts.figures.common import (
    MAP_CONFIG,
    STATIC_CONFIG,
    Measure,
    base_layout,
    colour_scale,
    colours_for,
    figure_from,
)
from layouts.figures.heatmap import CELL_TEXT_MAX, score_heatmap_figure
from layouts.figures.maps import choropleth_figure, hover_text
from layouts.figures.radar import goal_radar_figure
from layouts.figures.trends import series_figure, sparkline_figure, sparkline_svg
from layouts.text.format import STATUS
from layouts.theme import (
    BETTER_SCALE,
    BORDER_COLOUR,
    FONT_FAMILY,
    NEUTRAL_SCALE,
    NO_DATA_COLOUR,
    PROVINCE_COLOURS,
    SCORE_SCALE,
    SCORE_STOPS,
)

__all__ = [
    "BETTER_SCALE",
    "BORDER_COLOUR",
    "CELL_TEXT_MAX",
    "FONT_FAMILY",
    "MAP_CONFIG",
    "NEUTRAL_SCALE",
    "NO_DATA_COLOUR",
    "PROVINCE_COLOURS",
    "SCORE_SCALE",
    "SCORE_STOPS",
    "STATIC_CONFIG",
    "STATUS",
    "Measure",
    "base_layout",
    "choropleth_figure",
    "colour_scale",
    "colours_for",
    "figure_from",
    "goal_bullet_figure",
    "goal_radar_figure",
    "hover_text",
    "ranked_bars_figure",
    "score_heatmap_figure",
    "series_figure",
    "sparkline_figure",
    "sparkline_svg",
]
