"""The cluster comparison's heatmap: KPIs × provinces, one panel per goal, each cell a KPI's
score on the fixed 1–5 scale with its status symbol."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from data.rules.areas import name_column
from data.rules.thai_words import pieces
from layouts.figures.common import base_layout, figure_from
from layouts.text.format import format_rank, format_score, is_missing, status_badge
from layouts.text.i18n import GOAL_NAMES, format_value, pick, t
from layouts.theme import FONT_FAMILY, FONT_SIZE, NO_DATA_COLOUR, SCORE_SCALE

CELL_TEXT_MAX = 280  # px: a KPI name wider than this is put on more lines, broken between words only
GRIDS = ("z", "grey", "text", "hover", "links")  # what each cell gives its panel, in `_cell`'s order
LINE_HEIGHT = 16  # pixels a line of a KPI's name takes on the axis (13 px type)
LABEL_SIZE = 13  # px: the KPIs' names down the side
# the provinces' names over the columns: across where they fit, else rising to the right (the
# margins are made for the risen names)
COLUMN_ANGLE = -45
CELL_MIN = 48  # px: the narrowest column whose score ("4.03 ✔", 13 px) stays whole
COLOURBAR_ROOM = 80  # px right of the cells: the colour bar and its title
TITLE_ROOM = 26  # px a goal's title takes over its panel (one line of 14 px type)


def text_width(text: str, size: float) -> float:
    """About how wide `text` is drawn in Sarabun at `size` px, a little over rather than under
    (measured in Chromium: a Thai letter about 0.55 of the size, a Latin one 0.5, a capital 0.65;
    the marks above and below a Thai letter take no room)."""
    ems = 0.0
    for char in text:
        if unicodedata.category(char) == "Mn":
            continue
        if "\u0e00" <= char <= "\u0e7f":
            ems += 0.6
        elif char.isupper():
            ems += 0.68
        else:
            ems += 0.25 if char == " " else 0.52
    return ems * size


def wrap_label(text: str, width: float = CELL_TEXT_MAX, size: float = LABEL_SIZE) -> list[str]:
    """A KPI's whole name on lines of at most about `width` px at `size` px, broken only between
    words (at a space, or between two Thai words: `data.rules.thai_words.pieces`), never inside
    one: a single word wider than `width` keeps its line. The axis margin follows the widest line."""
    lines: list[str] = []
    line = ""
    for piece in pieces(text):
        if line.strip() and text_width((line + piece).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    lines.append(line.rstrip())
    return [part for part in lines if part] or [text]


def _suffix(index: int) -> str:
    """The axis suffix of the `index`-th panel from the top: "", "2", "3"…"""
    return "" if index == 1 else str(index)


@dataclass(frozen=True)
class Room:
    """The heatmap's margins in px, worked out from its labels (not left to plotly's automargin,
    so that the goals' titles can be placed against the figure's edge): the KPIs' names on the
    left, the provinces' names rising over the columns (`columns`: their height), the colour bar
    (and the last province's name where it reaches further) on the right; and `min_width`, the
    narrowest the figure may be drawn with every label whole and no title cut (a page shows it
    in a box that scrolls sideways where the screen is narrower)."""

    left: int
    right: int
    columns: int
    bottom: int
    min_width: int

    @property
    def top(self) -> int:
        return self.columns + TITLE_ROOM


def label_room(labels: Sequence[str], columns: Sequence[str], titles: Sequence[str], *, bottom: bool) -> Room:
    """The room the labels take: `labels` the KPIs' names as drawn (lines joined by <br>),
    `columns` the provinces' names, `titles` the goals' titles; `bottom`: the provinces are
    named under the last panel too."""
    widest = max((text_width(line, LABEL_SIZE) for label in labels for line in label.split("<br>")), default=0)
    left = math.ceil(widest) + 12
    angle = math.radians(abs(COLUMN_ANGLE))
    line = FONT_SIZE * 1.4
    names = [text_width(name, FONT_SIZE) for name in columns] or [0.0]
    rise = math.ceil(max(names) * math.sin(angle) + line * math.cos(angle)) + 8
    reach = names[-1] * math.cos(angle) + line * math.sin(angle) - CELL_MIN / 2  # past the last column
    right = max(COLOURBAR_ROOM, math.ceil(reach) + 8)
    title = max((text_width(re.sub(r"</?b>", "", t), FONT_SIZE) for t in titles), default=0)
    cells = left + CELL_MIN * len(columns) + right
    return Room(left, right, rise, rise + 6 if bottom else 10, max(cells, math.ceil(title) + right + 10))


def score_heatmap_figure(
    frame: pd.DataFrame,
    language: str = "th",
    *,
    provinces: Sequence[str] | None = None,
    goals: Sequence[str] | None = None,
    row_height: int = 26,
) -> go.Figure:
    """KPIs (rows, grouped by goal: one panel per goal) × provinces (columns), each cell the
    KPI's score on the fixed 1–5 scale with its status symbol as text; cells without a score
    are grey and read "–". `frame` is `data.query.cluster_comparison` (area_code, names,
    kpi_id, goal, kpi_name_*, unit_*, decimals, value, score, status, rank_cluster,
    cluster_size) in display order, optionally with `href` (a cell's customdata, so a click
    opens it). Built as plain data (see `figure_from`): 60 KPIs × 4 provinces were 0.2-0.3 s
    through make_subplots and validated trace objects, most of a cluster page's server time.
    The layout's `meta.min_width` is the narrowest width it may be drawn at (`Room`)."""
    codes = list(provinces) if provinces is not None else list(dict.fromkeys(frame["area_code"]))
    names = frame.drop_duplicates("area_code").set_index("area_code")[name_column(language)]
    columns = [str(names.get(code, code)) for code in codes]
    present_goals = [g for g in (goals or GOAL_NAMES) if g in set(frame["goal"])]
    if not present_goals:
        return figure_from([], base_layout(height=120))
    records: dict[str, list[dict]] = {}
    for record in frame.to_dict("records"):
        records.setdefault(record["goal"], []).append(record)
    kpi_orders = [list(dict.fromkeys(r["kpi_id"] for r in records[goal])) for goal in present_goals]
    rows = sum(len(order) for order in kpi_orders)
    labels = ["<br>".join(wrap_label(_kpi_name(r, language))) for r in frame.to_dict("records")]
    row_height = max(row_height, LINE_HEIGHT * max(label.count("<br>") + 1 for label in labels) + 6)
    titles = [_goal_text(goal, language) for goal in present_goals]
    room = label_room(labels, columns, titles, bottom=len(present_goals) > 1)
    spacing = min(0.3 / len(present_goals), 40 / (row_height * rows + 40))
    domains = _stacked_domains([len(order) for order in kpi_orders], spacing)
    traces: list[dict] = []
    layout = base_layout(
        height=row_height * rows + 48 * len(present_goals) + room.top + room.bottom,
        margin=dict(l=room.left, r=room.right, t=room.top, b=room.bottom),
        dragmode=False,
        clickmode="event",
        annotations=[],
        meta=dict(min_width=room.min_width),
    )
    bottom = f"x{len(present_goals)}" if len(present_goals) > 1 else "x"
    colorbar_length = min(1.0, 500 / (row_height * rows + 80))
    for index, (goal, kpi_order, domain) in enumerate(zip(present_goals, kpi_orders, domains), start=1):
        grids = _panel_cells(records[goal], kpi_order, codes, columns, language)
        traces += _panel_traces(grids, columns, kpi_order, index, colorbar_length, language)
        layout.update(_panel_axes(records[goal], kpi_order, index, bottom, domain, language))
        shift = room.columns if index == 1 else 0
        layout["annotations"].append(_goal_title(titles[index - 1], domain, room.left, shift))
    return figure_from(traces, layout)


def _panel_cells(
    records: list[dict], kpi_order: list[str], codes: Sequence[str], columns: list[str], language: str
) -> dict[str, list[list]]:
    """One goal's grids (see GRIDS): a row per KPI, a column per province."""
    cells = {(r["kpi_id"], r["area_code"]): r for r in records}
    grids: dict[str, list[list]] = {key: [] for key in GRIDS}
    for kpi_id in kpi_order:
        row = [
            _cell(cells.get((kpi_id, code), {}), kpi_id, province, language) for code, province in zip(codes, columns)
        ]
        for position, key in enumerate(GRIDS):
            grids[key].append([cell[position] for cell in row])
    return grids


def _kpi_name(record: dict, language: str) -> str:
    return str(record.get(f"kpi_{name_column(language)}") or record.get("kpi_id") or "")


def _cell(cell: dict, kpi_id: str, province: str, language: str) -> tuple:
    """A cell's score (None without one), its grey (0 without a score), text, hover and link."""
    score = cell.get("score")
    scored = not is_missing(score)
    text = f"{format_score(score)} {status_badge(cell.get('status')).symbol}" if scored else "–"
    return (
        float(score) if scored else None,
        None if scored else 0.0,
        text,
        _cell_hover(cell, kpi_id, province, language),
        str(cell.get("href") or ""),
    )


def _cell_hover(cell: dict, kpi_id: str, province: str, language: str) -> str:
    """Province, KPI, value with its unit, score, status and rank in the cluster."""
    badge = status_badge(cell.get("status"))
    decimals = 0 if is_missing(cell.get("decimals")) else int(cell.get("decimals"))
    value, score = cell.get("value"), cell.get("score")
    unit = str(cell.get("unit_en" if language == "en" else "unit_th") or "")
    lines = [f"<b>{province}</b>", str(cell.get(f"kpi_{name_column(language)}", kpi_id))]
    if is_missing(value):
        lines.append(f"<i>{t('no_data', language)}</i>")
    else:
        lines.append(f"<b>{format_value(float(value), decimals, unit)}</b>")
    if not is_missing(score):
        lines.append(f"{t('score', language)} {format_score(score)}")
    lines.append(f"{badge.symbol} {badge.word(language)}")
    rank = format_rank(cell.get("rank_cluster"), cell.get("cluster_size"))
    if rank != "–":
        lines.append(f"{t('rank_cluster_hover', language)} {rank}")
    return "<br>".join(lines)


def _panel_traces(
    grids: dict[str, list[list]],
    columns: list[str],
    kpi_order: list[str],
    index: int,
    colorbar_length: float,
    language: str,
) -> list[dict]:
    """A panel's two heatmaps: the grey of cells without a score, and the scores (the first
    panel's with the colour bar)."""
    suffix = _suffix(index)
    common = dict(
        type="heatmap",
        x=columns,
        y=kpi_order,
        text=grids["text"],
        texttemplate="%{text}",
        customdata=grids["links"],
        xgap=2,
        ygap=2,
        hovertext=grids["hover"],
        hovertemplate="%{hovertext}<extra></extra>",
        textfont=dict(size=13),
        xaxis=f"x{suffix}",
        yaxis=f"y{suffix}",
    )
    grey = dict(
        z=grids["grey"],
        colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        zmin=0,
        zmax=1,
        showscale=False,
        name=t("no_data", language),
        **common,
    )
    scores = dict(
        z=grids["z"],
        colorscale=SCORE_SCALE,
        zmin=1,
        zmax=5,
        showscale=index == 1,
        name=t("score", language),
        colorbar=dict(
            title=dict(text=t("score", language) + " (1–5)", side="right"),
            tickvals=[1, 2, 3, 4, 5],
            thickness=14,
            len=colorbar_length,
            y=1,
            yanchor="top",
        ),
        **common,
    )
    return [grey, scores]


def _panel_axes(
    records: list[dict], kpi_order: list[str], index: int, bottom: str, domain: tuple[float, float], language: str
) -> dict:
    """A panel's axes: the provinces on top of the first panel (every panel's columns match the
    bottom one's), the KPIs' whole names down the side (long ones on more lines: `wrap_label`),
    the margin as wide as the longest line needs (automargin)."""
    suffix = _suffix(index)
    labels: dict[str, str] = {}
    for record in records:
        labels.setdefault(record["kpi_id"], _kpi_name(record, language))
    x_axis = dict(
        anchor=f"y{suffix}",
        domain=[0.0, 1.0],
        showgrid=False,
        fixedrange=True,
        autotickangles=[0, COLUMN_ANGLE],
        tickfont=dict(size=FONT_SIZE),
    )
    if f"x{suffix}" != bottom:
        x_axis.update(matches=bottom, showticklabels=index == 1)
    if index == 1:
        x_axis.update(side="top", showticklabels=True)
    y_axis = dict(
        anchor=f"x{suffix}",
        domain=list(domain),
        autorange="reversed",
        automargin=True,
        tickfont=dict(size=LABEL_SIZE),
        showgrid=False,
        fixedrange=True,
        tickvals=kpi_order,
        ticktext=["<br>".join(wrap_label(labels[k])) for k in kpi_order],
    )
    return {f"xaxis{suffix}": x_axis, f"yaxis{suffix}": y_axis}


def _goal_text(goal: str, language: str) -> str:
    return f"<b>{goal}</b> {pick(GOAL_NAMES[goal], language)}"


def _goal_title(text: str, domain: tuple[float, float], left: int, shift: int) -> dict:
    """A goal's title over its panel, from the figure's left edge (over the KPIs' names: the
    whole width is its own), `shift` px higher (the first one over the provinces' names)."""
    return dict(
        text=text,
        x=0,
        xanchor="left",
        xref="paper",
        xshift=-left,
        y=domain[1],
        yanchor="bottom",
        yref="paper",
        showarrow=False,
        font=dict(family=FONT_FAMILY, size=FONT_SIZE),
        yshift=shift,
    )


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
