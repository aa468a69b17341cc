"""The cluster comparison's radar and heatmap for clusters of 2 to 6 provinces: the radar's rings
carry no numbers that would sit on its shapes (the scale is said once above it), and the
heatmap names every KPI in full, long names on more lines broken between words only, its
height following its rows, its margins holding its labels at their size and its goals' titles
the figure's whole width. On the figures a browser draws (their layout and text)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from data.rules.thai_words import pieces
from layouts.figures import goal_radar_figure, score_heatmap_figure
from layouts.figures.heatmap import CELL_TEXT_MAX, LABEL_SIZE, text_width, wrap_label
from layouts.text.i18n import GOAL_NAMES, pick

PROVINCES = [
    ("95", "ยะลา", "Yala"),
    ("96", "นราธิวาส", "Narathiwat"),
    ("94", "ปัตตานี", "Pattani"),
    ("14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya"),
    ("15", "อ่างทอง", "Ang Thong"),
    ("16", "ลพบุรี", "Lop Buri"),
]
# a Thai name with no space in it (it must never be broken), one with spaces and a slash, and an English one
KPIS = [
    (
        "k1",
        "G1",
        "ร้อยละของผู้ใช้และผู้เสพยาเสพติดที่บำบัดครบตามเกณฑ์และได้รับการติดตามดูแลต่อเนื่อง",
        "Share of drug users treated to the standard and followed up for a year",
    ),
    (
        "k2",
        "G2",
        "ร้อยละของเรื่องร้องเรียน/ร้องทุกข์ที่ดำเนินการแล้วเสร็จ ภายในระยะเวลาที่กำหนด ตามมาตรฐานการให้บริการ",
        "Complaints and grievances resolved within the time the service standard sets, as a share of all received",
    ),
    ("k3", "G2", "อัตราการว่างงาน", "Unemployment rate"),
]


def goal_scores(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(area_code=code, name_th=th, name_en=en, goal=f"G{g}", score=1.5 + (g + i) % 4, status="watch")
            for i, (code, th, en) in enumerate(PROVINCES[:count])
            for g in range(1, 7)
        ]
    )


def comparison(count: int, kpis=KPIS) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(
                area_code=code,
                name_th=th,
                name_en=en,
                kpi_id=kpi_id,
                goal=goal,
                kpi_name_th=kpi_th,
                kpi_name_en=kpi_en,
                unit_th="ร้อยละ",
                unit_en="%",
                decimals=1,
                value=50.0 + i,
                score=np.nan if i == 1 and kpi_id == "k3" else 2.0 + i / 2,
                status="no_data" if i == 1 and kpi_id == "k3" else "watch",
                rank_cluster=i + 1,
                cluster_size=count,
            )
            for kpi_id, goal, kpi_th, kpi_en in kpis
            for i, (code, th, en) in enumerate(PROVINCES[:count])
        ]
    )


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("language", ["th", "en"])
def test_cff001_the_radar_names_its_goals_outside_and_its_scale_once_with_no_numbers_on_the_shapes(count, language):
    figure = goal_radar_figure(goal_scores(count), language, provinces=[p[0] for p in PROVINCES[:count]])
    names = [p[2 if language == "en" else 1] for p in PROVINCES[:count]]
    assert [trace.name for trace in figure.data] == names  # one shape per province, named in the legend
    radial = figure.layout.polar.radialaxis
    assert radial.showticklabels is False and radial.showline is False  # no 1..5 written over the shapes
    assert list(radial.range) == [1, 5] and list(radial.tickvals) == [1, 2, 3, 4, 5]  # the rings stay
    scale = [a.text for a in figure.layout.annotations]
    assert scale == (
        ["Scores 1–5, from the centre to the edge"] if language == "en" else ["คะแนน 1–5 จากจุดกลางถึงขอบนอก"]
    )
    goal = "Goal" if language == "en" else "เป้าหมายที่"
    assert all(str(theta).startswith(goal) for theta in figure.data[0].theta)
    margin = figure.layout.margin
    assert margin.l >= 80 and margin.r >= 80  # room for "เป้าหมายที่ 5" beside the circle
    angular = figure.layout.polar.angularaxis
    directions = [(angular.rotation - 60 * k) % 360 for k in range(6)]  # clockwise from the first goal
    assert not {90, 270} & set(directions)  # no goal's name above the circle (the scale) or below it (the legend)


def breaks_between_words(text: str, lines: list[str]) -> bool:
    """Whether `lines` are `text` cut only where `pieces` parts it (a space dropped at a cut)."""
    ends, at = set(), 0
    for piece in pieces(text):
        at += len(piece)
        ends.add(at)
    at = 0
    for line in lines[:-1]:
        at = text.index(line, at) + len(line)
        if at not in ends and at + 1 not in ends:
            return False
    return "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_cff002_a_long_name_is_broken_between_words_only_and_a_word_never():
    thai = KPIS[0][2]  # no space in it: broken between its Thai words
    lines = wrap_label(thai)
    assert len(lines) > 1 and "".join(lines) == thai and breaks_between_words(thai, lines)
    assert all(text_width(line, LABEL_SIZE) <= CELL_TEXT_MAX for line in lines)
    lines = wrap_label(KPIS[1][2])
    assert len(lines) > 1 and breaks_between_words(KPIS[1][2], lines)
    english = wrap_label(KPIS[1][3], 200)
    assert all(text_width(line, LABEL_SIZE) <= 200 for line in english) and " ".join(english) == KPIS[1][3]
    assert wrap_label("Unemployment rate") == ["Unemployment rate"]
    assert wrap_label("ยาเสพติด", 10) == ["ยาเสพติด"]  # one word wider than the line keeps its line, whole


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("language", ["th", "en"])
def test_cff003_the_heatmap_names_every_kpi_in_full_and_its_height_follows_its_rows(count, language):
    figure = score_heatmap_figure(comparison(count), language, provinces=[p[0] for p in PROVINCES[:count]])
    labels = [text for name in ("yaxis", "yaxis2") for text in figure.layout[name].ticktext]
    names = [k[3 if language == "en" else 2] for k in KPIS]
    assert not any("…" in label for label in labels)
    for label, name in zip(labels, names, strict=True):  # whole, in order, broken between words only
        assert breaks_between_words(name, label.split("<br>")), label
    assert all(text_width(line, LABEL_SIZE) <= CELL_TEXT_MAX for label in labels for line in label.split("<br>"))
    assert "<br>" in labels[0]
    assert [str(x) for x in figure.data[0].x] == [p[2 if language == "en" else 1] for p in PROVINCES[:count]]
    longest = max(label.count("<br>") + 1 for label in labels)
    assert figure.layout.height >= 3 * 16 * longest  # every row as tall as its lines


# Widths Chromium measured in Sarabun at 14 px (canvas measureText): the estimate is never under
MEASURED_14PX = {
    "พระนครศรีอยุธยา": 102.3,
    "Phra Nakhon Si Ayutthaya": 156.6,
    "สร้างความสามารถในการแข่งขันทางเศรษฐกิจและแก้ไขปัญหาความยากจน": 415.5,
    "Economic competitiveness and poverty reduction": 298.4,
    "ร้อยละของผู้ใช้และผู้เสพยาเสพติดที่บำบัดครบตามเกณฑ์และได้รับการติดตามดูแลต่อเนื่อง": 502.1,
    "ผลิตภัณฑ์มวลรวมจังหวัดต่อหัว": 173.2,
    "(e-Service)": 64.5,
}


def test_cff005_a_texts_width_is_estimated_a_little_over_what_the_browser_draws():
    for text, measured in MEASURED_14PX.items():
        assert measured <= text_width(text, 14) <= measured * 1.3, text


@pytest.mark.parametrize("count", [2, 4, 6])
@pytest.mark.parametrize("language", ["th", "en"])
def test_cff006_the_margins_hold_the_longest_names_and_the_titles_have_the_whole_width(count, language):
    """The KPIs' names fit the left margin at their size, the provinces' names rising at 45° fit
    between the first goal's title and the cells, no title reaches the colour bar at the
    narrowest width the figure is drawn at, and that width gives every column room for a score."""
    provinces = PROVINCES[:count]
    figure = score_heatmap_figure(comparison(count), language, provinces=[p[0] for p in provinces])
    layout = figure.layout
    margin, size = layout.margin, layout.yaxis.tickfont.size
    lines = [line for axis in ("yaxis", "yaxis2") for label in layout[axis].ticktext for line in label.split("<br>")]
    assert margin.l >= max(text_width(line, size) for line in lines) + 6
    names = [p[2 if language == "en" else 1] for p in provinces]
    assert list(layout.xaxis.autotickangles) == [0, -45] and layout.xaxis.side == "top"  # across, or risen
    rising = max(text_width(name, layout.xaxis.tickfont.size) for name in names) * math.sin(math.pi / 4)
    titles = layout.annotations
    assert [a.text.split("</b> ")[1] for a in titles] == [pick(GOAL_NAMES[g], language) for g in ("G1", "G2")]
    assert titles[0].yshift >= rising + 14 and margin.t >= titles[0].yshift + 20  # title, then the names, then cells
    assert titles[1].yshift == 0 and titles[1].y == layout.yaxis2.domain[1]  # over its own panel
    assert all(a.xshift == -margin.l and a.xanchor == "left" for a in titles)  # from the figure's left edge
    width = layout.meta["min_width"]
    assert width >= margin.l + margin.r + 48 * count  # a score's room in every column
    assert all(text_width(a.text.replace("<b>", "").replace("</b>", ""), 14) + margin.r <= width for a in titles)
    reach = text_width(names[-1], 14) * math.cos(math.pi / 4) - 24  # the last name past its column's middle
    assert margin.r >= reach and margin.r >= 80  # inside the figure, with the colour bar
    assert list(layout.xaxis2.autotickangles) == [0, -45] and margin.b >= rising  # under the last panel too


def test_cff004_more_rows_make_a_taller_heatmap_and_wrapped_names_taller_rows():
    short = [("k3", "G2", "อัตราการว่างงาน", "Unemployment rate")]
    many = [(f"k{i}", "G1", f"ตัวชี้วัด {i}", f"KPI {i}") for i in range(12)]
    heights = [score_heatmap_figure(comparison(4, kpis), "en").layout.height for kpis in (short, many)]
    assert heights[0] < heights[1]
    one_line = score_heatmap_figure(comparison(4, short), "en").layout.height
    wrapped = score_heatmap_figure(comparison(4, [("k2", "G2", KPIS[1][2], KPIS[1][3])]), "en").layout.height
    assert wrapped > one_line


@pytest.mark.parametrize("language", ["th", "en"])
def test_cff007_a_radar_of_a_store_without_scores_is_an_empty_circle_with_its_goals(language):
    """On an empty store the radar drew plotly's default x-y grid (-1 to 4 by 0 to 6): with no
    province to draw it is still a radar, its six goals named round it."""
    from layouts.figures.radar import goal_radar_figure

    empty = pd.DataFrame(columns=["area_code", "name_th", "name_en", "goal", "score", "status"])
    figure = goal_radar_figure(empty, language, provinces=["50", "51"])
    assert [trace.type for trace in figure.data] == ["scatterpolar"]
    assert len(figure.data[0].theta) == 6
    assert "xaxis" not in figure.to_plotly_json()["layout"]
