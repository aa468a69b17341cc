"""The wall's map slide laid out for the count of its areas (a cluster has 2 to 6 provinces): a
card per area in place of four huge tiles, best and worst lists that never name an area twice,
and every chart on the wall with a text alternative in the wall's language. Without a browser:
on the markup a viewer (or a screen reader) reads; the geometry on a real screen is
tests/browser/test_wall_few_areas_browser.py."""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import pandas as pd
import pytest

from layouts.figures import Measure
from layouts.views.wall_areas import FEW_AREAS, best_and_worst, split_ends
from layouts.views.wall_chart_slides import map_slide, trends_slide
from layouts.views.wall_slides import hotspots_slide

NAMES = [
    ("เชียงใหม่", "Chiang Mai"),
    ("ลำพูน", "Lamphun"),
    ("ลำปาง", "Lampang"),
    ("แม่ฮ่องสอน", "Mae Hong Son"),
    ("พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya"),
    ("สิงห์บุรี", "Sing Buri"),
    ("ชัยนาท", "Chai Nat"),
    ("อ่างทอง", "Ang Thong"),
]


def areas(count: int, *, scores=True) -> pd.DataFrame:
    """`count` provinces whose road deaths rise with their position (so the first is the best on a
    lower-is-better KPI), scored from 5 down."""
    rows = []
    for index in range(count):
        th, en = NAMES[index]
        score = 5.0 - 4.0 * index / max(count - 1, 1)
        status = "on_target" if score >= 3 else "watch" if score >= 2 else "off_target"
        rows.append(
            dict(
                area_code=str(50 + index),
                name_th=th,
                name_en=en,
                value=10.0 + 5 * index,
                score=score if scores else np.nan,
                status=status if scores else "no_data",
            )
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def road_deaths(catalog) -> Measure:
    return Measure.kpi_value(catalog.by_id()["road_deaths_per_100k"])


def words(markup: str) -> str:
    return " ".join(unescape(part).strip() for part in re.split(r"<[^>]+>", markup) if part.strip())


def ranks_of(markup: str) -> list[tuple[str, list[str]]]:
    side = markup[markup.index('class="wall-map-side"') :]
    return [
        (unescape(title), re.findall(r'data-area="(\d+)"', body))
        for title, body in re.findall(
            r'<div class="wall-map-ranks"><div class="wall-label">([^<]*)</div>(.*?)(?=<div class="wall-map-ranks"|$)',
            side,
        )
    ]


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
def test_wfa001_a_few_areas_are_a_card_each_best_first_laid_out_for_their_count(road_deaths, count):
    markup, figures = map_slide(areas(count), {"features": [{"id": "50"}]}, road_deaths, None, "th", "light")
    assert figures == {}  # no map of huge tiles: the cards say it all in large type
    cards = markup[: markup.index('class="wall-map-side"')]
    assert f'class="wall-area-cards wall-area-cards-{count}"' in cards
    assert re.findall(r'class="wall-area-card"[^>]*data-area="(\d+)"', cards) == [str(50 + i) for i in range(count)]
    text = words(cards)
    for index in range(count):  # place, name, value (without unit: the side says it) and status
        assert f"{index + 1} {NAMES[index][0]} {10 + 5 * index:.2f}" in text
    assert text.count("ตามเป้าหมาย") == sum(5.0 - 4.0 * i / max(count - 1, 1) >= 3 for i in range(count))
    widths = [float(w) for w in re.findall(r'class="wall-area-fill" style="width:([\d.]+)%', cards)]
    assert widths == sorted(widths) and widths[-1] == 100.0  # each bar a share of the largest value
    assert "แผนภูมิแท่ง" not in words(markup)  # the "shown as bars" note is for bars only


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6, 7, 8])
def test_wfa002_the_best_and_the_worst_lists_never_name_an_area_twice(road_deaths, count):
    markup, _ = map_slide(areas(count), None, road_deaths, None, "th", "light")
    found = ranks_of(markup)
    assert len(found) == 2
    (best_title, best), (worst_title, worst) = found
    each = min(3, count // 2)
    assert best == [str(50 + i) for i in range(each)]
    assert worst == [str(50 + count - 1 - i) for i in range(each)]  # the worst first
    assert not set(best) & set(worst)
    if count == 2:  # one ahead of the other: neither is "the best three"
        assert (best_title, worst_title) == ("นำ", "ตามหลัง")
    else:
        assert (best_title, worst_title) == ("ดีที่สุด", "ต้องเร่งรัด")


def test_wfa003_one_area_or_none_has_no_lists_and_a_context_figure_is_largest_and_smallest(catalog):
    population = Measure.kpi_value(catalog.by_id()["population_nesdc"])
    assert best_and_worst(areas(1), population, "en") == []
    assert split_ends(areas(0))[0].empty
    markup, _ = map_slide(areas(5), None, population, None, "en", "light")
    found = ranks_of(markup)
    assert [title for title, _ in found] == ["Largest", "Smallest"]
    assert found[0][1] == ["54", "53"] and found[1][1] == ["50", "51"]  # by size, the middle one in neither


def test_wfa004_many_areas_are_a_map_or_bars_described_in_the_walls_language(road_deaths):
    frame = areas(FEW_AREAS + 2)
    markup, figures = map_slide(frame, None, road_deaths, None, "en", "dark")
    assert set(figures) == {"map"}
    box = re.search(r'<div class="wall-figure" data-figure="map" role="img" aria-label="([^"]+)"', markup)
    label = unescape(box.group(1))
    assert label.startswith("Road-traffic deaths per 100,000 population")
    assert "8 areas" in label and "Ang Thong" in label and "Chiang Mai" in label  # highest and lowest
    thai, _ = map_slide(frame, None, road_deaths, None, "th", "light")
    thai_label = unescape(re.search(r'aria-label="([^"]+)"', thai).group(1))
    assert "อ่างทอง" in thai_label and "เชียงใหม่" in thai_label and "Ang Thong" not in thai_label


def test_wfa005_each_trend_is_an_image_with_its_latest_value_in_words(road_deaths):
    series = pd.DataFrame(
        {
            "value": [30.0, 28.5, 26.25],
            "target": [25.0, 25.0, 25.0],
            "status": ["off_target", "watch", "watch"],
            "label_th": ["ปีงบประมาณ 2567", "ปีงบประมาณ 2568", "ปีงบประมาณ 2569"],
            "label_en": ["FY 2024", "FY 2025", "FY 2026"],
        }
    )
    markup, figures = trends_slide([(road_deaths, series)], "en", "light")
    assert set(figures) == {"trend-0"}
    label = unescape(re.search(r'data-figure="trend-0" role="img" aria-label="([^"]+)"', markup).group(1))
    assert "26.25" in label and "FY 2026" in label and "30.00" in label


@pytest.mark.parametrize("count", [2, 4, 6, 7])
def test_wfa006_a_few_hotspots_share_the_screen_in_larger_type_and_many_are_a_list(count):
    frame = areas(count).assign(off_target=1, scored=10, worst_th="ตัวชี้วัด", worst_en="KPI")
    markup, _ = hotspots_slide(frame, "th", watch=2.0, on_target=3.0)
    listing = re.search(r'<div class="(wall-list[^"]*)"', markup).group(1).split()
    assert ("wall-list-few" in listing) == (count <= FEW_AREAS)
    assert re.findall(r'data-area="(\d+)"', markup) == [str(50 + i) for i in range(count)]


def test_wfa007_a_trend_on_the_wall_names_three_periods_level_and_its_key_above_the_plot(road_deaths):
    months = [f"เดือน {n}" for n in range(1, 13)]
    series = pd.DataFrame({"value": np.linspace(30, 25, 12), "target": 25.0, "status": "watch", "label_th": months})
    _, figures = trends_slide([(road_deaths, series)], "th", "dark")
    layout = figures["trend-0"]["layout"]
    assert layout["xaxis"]["tickvals"] == ["เดือน 1", "เดือน 6", "เดือน 12"]  # rotated names crowded each other
    assert layout["xaxis"]["tickangle"] == 0 and layout["xaxis"]["ticklabelstandoff"] > 0
    assert layout["legend"]["yanchor"] == "bottom" and layout["legend"]["y"] == 1  # above the lines, not on them
    assert layout["yaxis"]["title"]["text"] == ""


def test_wfa008_an_area_without_a_value_is_a_card_last_with_no_place_and_says_so(road_deaths):
    frame = areas(4)
    frame.loc[1, ["value", "score", "status"]] = [np.nan, np.nan, "no_data"]
    markup, _ = map_slide(frame, None, road_deaths, None, "en", "light")
    cards = markup[: markup.index('class="wall-map-side"')]
    assert re.findall(r'class="wall-area-card"[^>]*data-area="(\d+)"', cards) == ["50", "52", "53", "51"]
    assert "Mae Hong Son 25.00 Off target – Lamphun – No data" in words(cards)  # no place, no value: in words
    lists = ranks_of(markup)
    assert [codes for _, codes in lists] == [["50"], ["53"]]  # three ranked: one each, the middle in neither
