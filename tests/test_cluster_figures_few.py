"""The cluster comparison's radar and heatmap for clusters of 2 to 6 provinces: the radar's rings
carry no numbers that would sit on its shapes (the scale is said once above it), and the
heatmap names every KPI in full, long names on more lines broken at a space or a slash only,
its height following its rows. On the figures a browser draws (their layout and text)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from layouts.figures import goal_radar_figure, score_heatmap_figure
from layouts.figures.heatmap import wrap_label

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


def test_cff002_a_long_name_is_broken_at_spaces_and_slashes_only_and_a_thai_word_never():
    thai = KPIS[0][2]
    assert wrap_label(thai) == [thai]  # no space: one line, however long
    lines = wrap_label(KPIS[1][2])
    assert len(lines) > 1 and "".join(lines).replace(" ", "") == KPIS[1][2].replace(" ", "")
    for line, following in zip(lines, lines[1:]):  # each break after a space or a slash, never in a word
        assert re.search(r"[/ ]$", KPIS[1][2][: KPIS[1][2].index(following)]), (line, following)
    english = wrap_label(KPIS[1][3], 30)
    assert all(len(line) <= 30 for line in english) and " ".join(english) == KPIS[1][3]
    assert wrap_label("Unemployment rate") == ["Unemployment rate"]


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("language", ["th", "en"])
def test_cff003_the_heatmap_names_every_kpi_in_full_and_its_height_follows_its_rows(count, language):
    figure = score_heatmap_figure(comparison(count), language, provinces=[p[0] for p in PROVINCES[:count]])
    labels = [text for name in ("yaxis", "yaxis2") for text in figure.layout[name].ticktext]
    names = [k[3 if language == "en" else 2] for k in KPIS]
    assert not any("…" in label for label in labels)
    assert [label.replace("<br>", " ").replace("/ ", "/") for label in labels] == names  # whole, in order
    if language == "th":
        assert KPIS[0][2] in labels  # the Thai name without a space is on one line, never broken in a word
    else:
        assert "<br>" in labels[0] and all(len(line) <= 46 for label in labels for line in label.split("<br>"))
    assert [str(x) for x in figure.data[0].x] == [p[2 if language == "en" else 1] for p in PROVINCES[:count]]
    assert figure.layout.yaxis.automargin is True  # the margin takes the longest line
    longest = max(label.count("<br>") + 1 for label in labels)
    assert figure.layout.height >= 3 * 16 * longest  # every row as tall as its lines


def test_cff004_more_rows_make_a_taller_heatmap_and_wrapped_names_taller_rows():
    short = [("k3", "G2", "อัตราการว่างงาน", "Unemployment rate")]
    many = [(f"k{i}", "G1", f"ตัวชี้วัด {i}", f"KPI {i}") for i in range(12)]
    heights = [score_heatmap_figure(comparison(4, kpis), "en").layout.height for kpis in (short, many)]
    assert heights[0] < heights[1]
    one_line = score_heatmap_figure(comparison(4, short), "en").layout.height
    wrapped = score_heatmap_figure(comparison(4, [("k2", "G2", KPIS[1][2], KPIS[1][3])]), "en").layout.height
    assert wrapped > one_line
