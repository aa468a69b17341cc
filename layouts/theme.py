"""The dashboard's one theme: the palette (every colour the Python code draws with, by name)
and the colours and fonts each role takes from it — statuses, goals, the score scales of the
maps, the greys of text, grids and lines, the wall screen's light and dark themes — so a page,
the wall screen and the PDF show the same thing in the same colour.

The stylesheets in assets/ keep their own copies of these colours (CSS cannot import Python).
"""

from __future__ import annotations

# =========================================================================== the palette

WHITE = "#ffffff"
TRANSPARENT = "rgba(0,0,0,0)"
# greys, Bootstrap's names, lightest first
GREY_100 = "#f1f3f5"
GREY_200 = "#e9ecef"
GREY_300 = "#dee2e6"
GREY_400 = "#ced4da"
GREY_500 = "#adb5bd"
GREY_600 = "#6c757d"
GREY_700 = "#495057"
GREY_800 = "#343a40"
GREY_900 = "#212529"
MIST = "#d5d9de"  # an area without data
SLATE = "#646b73"  # the "no data" status (5.4:1 under white text)
BLUE_GREY = "#546e7a"  # a monitored (unscored) KPI
DUSK = "#6a5a8c"  # insufficient data
# the wall screen's dark theme
INK = "#111418"
NIGHT = "#0b0f14"
NIGHT_GRID = "#39424e"
DAY_GRID = "#d9dee4"
# reds, ambers and greens (Material's names where they are Material's)
RED_900 = "#b71c1c"
RED_800 = "#c62828"
ORANGE = "#ef8a3c"
AMBER = "#f2a900"
YELLOW = "#f6d55c"
LIGHT_GREEN_500 = "#8bc34a"
GREEN_300 = "#81c784"
GREEN_600 = "#43a047"
GREEN_800 = "#2e7d32"
GREEN_900 = "#1b5e20"
# the status bands behind a goal's bullet bar: a tint of off target, watch and on target
RED_TINT = "#fbe3e3"
AMBER_TINT = "#fdf1cf"
GREEN_TINT = "#e3f1e4"
# blues of the neutral scale (a context figure: neither direction is better)
BLUE_50 = "#e8f1fa"
BLUE_300 = "#6baed6"
BLUE_900 = "#08306b"
# the ESR's heading navy and its tints, and the fill of the XLSX downloads' header rows
NAVY = "#0b3d6e"
NAVY_TINT = "#eef4fb"
GREY_TINT = "#eef1f5"
HEADER_TINT = "#dde6f0"

# =========================================================================== fonts of the figures

FONT_FAMILY = "Sarabun, Tahoma, sans-serif"
FONT_SIZE = 14  # logical px on a page
WALL_FONT_SIZE = 15  # logical px at 1920×1080; wall.js scales figures with the screen

# =========================================================================== roles

TEXT = GREY_900
LIGHT_TEXT = WHITE  # text on a dark fill
GRID = GREY_200
RADAR_GRID = GREY_300
LINE = GREY_600  # a KPI's line over time and the sparklines
NO_DATA_COLOUR = MIST
BORDER_COLOUR = WHITE  # between the areas of a map
TARGET_LINE = GREEN_900  # a KPI's target over time, and the on-target cut-off of the goal bullets
STATUS_BANDS = (RED_TINT, AMBER_TINT, GREEN_TINT)  # off target, watch, on target

# (fill, text on it) of each status, freshness and trend: `layouts.text.format`'s badges
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "on_target": (GREEN_800, WHITE),
    "watch": (AMBER, GREY_900),
    "off_target": (RED_800, WHITE),
    "insufficient_data": (DUSK, WHITE),
    "no_data": (SLATE, WHITE),
    "not_scored": (BLUE_GREY, WHITE),
}
FRESHNESS_COLOURS: dict[str, tuple[str, str]] = {
    "fresh": (GREEN_800, WHITE),
    "due": (AMBER, GREY_900),
    "overdue": (RED_800, WHITE),
    "missing": (SLATE, WHITE),
}
TREND_COLOURS: dict[str, tuple[str, str]] = {
    "improving": (GREEN_800, WHITE),
    "worsening": (RED_800, WHITE),
    "stable": (GREY_600, WHITE),
}

# one colour per goal (the chips)
GOAL_COLOURS: dict[str, str] = {
    "G1": "#1f5fa8",
    "G2": "#6a3d9a",
    "G3": GREEN_800,
    "G4": "#00727c",
    "G5": "#a84b15",
    "G6": "#8d6e00",
}
# one colour per province of a cluster (at most six): distinct, none of them a status colour
PROVINCE_COLOURS = ("#1f5fa8", "#8e44ad", "#00897b", "#d35400", "#5d4037", "#c2185b")

# score → colour; 2 and 3 are the default watch / on-target cut-offs
SCORE_STOPS = ((1.0, RED_900), (2.0, AMBER), (3.0, LIGHT_GREEN_500), (4.0, GREEN_600), (5.0, GREEN_900))
SCORE_SCALE = [[(score - 1.0) / 4.0, colour] for score, colour in SCORE_STOPS]
# an unscored KPI where more is better (reversed where less is better), and a context figure
BETTER_SCALE = [[0.0, RED_800], [0.25, ORANGE], [0.5, YELLOW], [0.75, LIGHT_GREEN_500], [1.0, GREEN_900]]
NEUTRAL_SCALE = [[0.0, BLUE_50], [0.5, BLUE_300], [1.0, BLUE_900]]

# the wall screen's figures in its light and dark themes
WALL_COLOURS: dict[str, dict[str, str]] = {
    "light": {"text": INK, "grid": DAY_GRID, "line": GREY_700, "border": WHITE, "target": GREEN_900},
    "dark": {"text": GREY_100, "grid": NIGHT_GRID, "line": GREY_400, "border": NIGHT, "target": GREEN_300},
}
WALL_CHIP = GREY_700  # a goal chip of no known goal on the wall
