"""The first dashboard pages: the national overview (/) and the provincial scorecard (/province/<code>).

Three layers, fastest first:
- layout and figure functions called with small hand-made frames (no store, no app);
- the real pages rendered from a small SQLite demo store: through the Dash server
  (`app.server.test_client()`, including the routing callback a browser triggers) and by
  calling each page's `layout(...)`;
- the scorecard on both backends (`store`: SQLite and PostgreSQL) with hand-written values.

Assertions are on what a user sees: Thai words, formatted numbers with units, status words.
The demo store is as of 21 Nov 2026; pages are asked for ?period=2569 (FY 2569, ended
30 Sep 2026) so that the answers do not depend on the day the tests run.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from dash.development.base_component import Component

from data.rules.periods import Period, parse_period_param, period_param
from data.store.boundaries import replace_boundaries
from data.store.schema import VALUE_COLUMNS
from data.store.setup import logged_import
from data.store.values import write_values
from geo.tilegrid import tilegrid_features
from helpers import by_id, dash_app, find, reset_caches, router, square, texts
from layouts import figures
from layouts.figures import Measure
from layouts.text import format as fmt
from layouts.views.scorecard import goal_tiles
from layouts.views.scorecard_table import kpi_row, kpi_table, order_kpis
from pages._frame import read_period
from stores import AS_OF

# =========================================================================== helpers


def kpi_ids(node) -> list[str]:
    """The KPIs of the scorecard table, in the order shown."""
    table = (
        node if isinstance(node, Component) and getattr(node, "id", None) == "kpi-table" else by_id(node, "kpi-table")
    )
    return re.findall(r'<tr class="kpi-row[^"]*" data-kpi="([^"]+)"', table.children)


def goals_frame(**scores) -> pd.DataFrame:
    """A goal_summary-like frame: G1..G6 and ALL with score, status, kpis_present/kpis_scored."""
    rows = []
    for goal in ("G1", "G2", "G3", "G4", "G5", "G6", "ALL"):
        score = scores.get(goal, 3.0)
        status = "no_data" if score is None else "on_target" if score >= 3 else "watch" if score >= 2 else "off_target"
        rows.append(
            dict(
                goal=goal,
                score=np.nan if score is None else score,
                coverage=0.875,
                kpis_present=7,
                kpis_scored=8,
                missing=(),
                status=status,
                is_demo=False,
            )
        )
    return pd.DataFrame(rows)


def kpi(kpi_id: str, goal: str, score: float | None, scored: bool = True, **extra) -> dict:
    status = (
        "not_scored"
        if not scored
        else "no_data"
        if score is None
        else "on_target"
        if score >= 3
        else "watch"
        if score >= 2
        else "off_target"
    )
    row = dict(
        kpi_id=kpi_id,
        goal=goal,
        name_th=f"ตัวชี้วัด {kpi_id}",
        name_en=f"KPI {kpi_id}",
        unit_th="บาท",
        unit_en="THB",
        decimals=0,
        scored=scored,
        value=1000.0,
        target=900.0,
        score=np.nan if score is None else score,
        status=status,
        trend="improving",
        trend_values=(900.0, 950.0, 1000.0),
        rank_cluster=2,
        cluster_size=4,
        rank_country=10,
        country_size=77,
        freshness="fresh",
        owner_th="สำนักงานจังหวัด",
        owner_en="Provincial Office",
        source_th="สสช.",
        source_en="NSO",
        period_type="Y",
        fiscal_year=2569,
        period_no=0,
        is_preliminary=False,
    )
    row.update(extra)
    return row


@pytest.fixture
def pages(demo_store):
    """The page modules, as Dash imported them (for the app reading the module's demo store)."""
    dash_app()
    return SimpleNamespace(
        overview=importlib.import_module("pages.overview"), province=importlib.import_module("pages.province")
    )


# =========================================================================== formatting and URL state


def test_pag001_period_parameter_reads_fiscal_years_and_quarters():
    assert parse_period_param("2569") == Period("Y", 2569, 0)
    assert parse_period_param("2569Q4") == Period("Q", 2569, 4)
    assert parse_period_param(None) is None
    assert period_param(Period("Q", 2569, 4)) == "2569Q4"
    with pytest.raises(ValueError):
        parse_period_param("2569Q5")


def test_pag002_links_keep_the_language_first_and_drop_empty_values():
    assert (
        fmt.href("/province/50", {"lang": "en", "period": None, "sort": "worst"}) == "/province/50?lang=en&sort=worst"
    )
    assert fmt.href("/", {"lang": "th", "show": "kpi:road_deaths"}) == "/?lang=th&show=kpi:road_deaths"


def test_pag003_a_selector_changes_only_its_parameter_and_writes_no_default():
    url = "http://127.0.0.1:8050/?lang=en&show=G2"
    assert fmt.url_with_choice(url, "period", "2569Q4", "latest") == "/?lang=en&show=G2&period=2569Q4"
    assert fmt.url_with_choice(url, "show", "ALL", "ALL") == "/?lang=en"
    # a page rendering its selectors with the URL's own values changes nothing
    assert fmt.url_with_choice(url, "show", "G2", "ALL") is None
    assert fmt.url_with_choice(url, "period", "latest", "latest") is None


def test_pag004_dates_are_buddhist_era_in_thai():
    assert fmt.format_date(dt.date(2026, 11, 21), "th") == "21 พ.ย. 2569"
    assert fmt.format_date(dt.date(2026, 11, 21), "en") == "21 Nov 2026"


def test_pag005_period_selector_offers_the_held_periods_grouped_by_fiscal_year_newest_first():
    held = [
        Period("Y", 2556, 0),
        Period("Q", 2569, 1),
        Period("Q", 2569, 2),
        Period("M", 2569, 4),
        Period("Y", 2569, 0),
        Period("Q", 2570, 1),
    ]  # Q1/2570 ends 31 Dec 2026: after AS_OF
    messages: list[str] = []
    view = read_period(None, "th", messages, held=held, today=AS_OF)
    assert [label for _, label in view.options] == [
        "ล่าสุด (ปีงบประมาณ 2569)",
        "ปีงบประมาณ 2569",
        "\u2003ไตรมาส 2/2569",
        "\u2003\u2003ม.ค. 2569",
        "\u2003ไตรมาส 1/2569",
        "ปีงบประมาณ 2556",
    ]
    assert [value for value, _ in view.options][1:4] == ["2569", "2569Q2", "2569M04"]
    assert view.period == Period("Y", 2569, 0) and view.value == "latest" and view.today == AS_OF and not messages
    # ten-year-old history can be chosen; a fiscal year shows its newest held period
    old = read_period("2556", "th", messages, held=held, today=AS_OF)
    assert old.period == Period("Y", 2556, 0) and old.value == "2556" and old.today is None and not messages
    # a period without data, a period not yet ended, and a malformed one are named and fall back to the latest
    for asked, words in (
        ("2560", "ไม่มีข้อมูลของปีงบประมาณ 2560"),
        ("2570Q1", "ไม่มีข้อมูลของไตรมาส 1/2570"),
        ("2568Q9", "ไม่เข้าใจค่า “2568Q9” ของ period"),
        ("x" * 500, "x" * 40 + "…"),
    ):
        messages = []
        fallback = read_period(asked, "th", messages, held=held, today=AS_OF)
        assert fallback.period == Period("Y", 2569, 0) and fallback.value == "latest"
        assert len(messages) == 1 and words in messages[0], messages
    # an empty store: only "latest", no period, and the page says so elsewhere
    empty = read_period("2569", "en", messages, held=(), today=AS_OF)
    assert empty.period is None and [label for _, label in empty.options] == ["Latest"]


# =========================================================================== figures


def province_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["50", "51", "52"],
            "name_th": ["เชียงใหม่", "ลำพูน", "ลำปาง"],
            "name_en": ["Chiang Mai", "Lamphun", "Lampang"],
            "value": [1234567.0, 2500.5, np.nan],
            "score": [4.5, 2.5, np.nan],
            "status": ["on_target", "watch", "no_data"],
            "rank_country": [1, 2, pd.NA],
            "country_size": [2, 2, pd.NA],
            "href": ["/province/50?lang=th", "/province/51?lang=th", "/province/52?lang=th"],
        }
    )


def test_pag010_score_map_uses_the_fixed_scale_thai_hover_and_grey_for_no_data():
    figure = figures.choropleth_figure(province_frame(), tilegrid_features(), Measure.goal_score("G2"), "th")
    no_data, scored, labels = figure.data
    assert (scored.zmin, scored.zmax) == (1.0, 5.0)
    assert scored.colorscale[0][1].lower() == "#b71c1c" and scored.colorscale[-1][1].lower() == "#1b5e20"
    assert list(no_data.locations) == ["52"] and "ไม่มีข้อมูล" in no_data.hovertext[0]
    assert "เชียงใหม่" in scored.hovertext[0] and "4.50" in scored.hovertext[0] and "ตามเป้าหมาย" in scored.hovertext[0]
    assert scored.customdata[0][0] == "/province/50?lang=th"  # a click opens the province
    assert figure.layout.font.family.startswith("Sarabun")
    assert list(labels.text) == ["ชม", "ลพ", "ลป"]  # the tile grid labels its tiles


def test_pag011_value_map_hover_has_thousands_separators_and_the_unit(catalog):
    measure = Measure.kpi_value(catalog.by_id()["road_deaths"])
    figure = figures.choropleth_figure(province_frame(), tilegrid_features(), measure, "th")
    hover = figure.data[1].hovertext[0]
    assert "1,234,567 คน" in hover and "อันดับในประเทศ 1/2" in hover


def test_pag012_value_palette_follows_the_kpi_direction():
    values = [10.0, 20.0, 30.0]
    higher = Measure("value", "x", "x", direction="higher_better")
    lower = Measure("value", "x", "x", direction="lower_better")
    context = Measure("value", "x", "x", direction="context")
    assert figures.colours_for(higher, values)[-1] == figures.colours_for(lower, values)[0]  # the better end is green
    assert figures.colours_for(higher, values)[-1].lower() == "#1b5e20"
    assert figures.colours_for(lower, values)[-1].lower() == "#c62828"
    assert figures.colours_for(context, values)[-1].lower() == "#08306b"  # neutral, neither red nor green


def test_pag013_a_scored_kpi_is_coloured_through_its_thresholds_the_same_at_every_level():
    measure = Measure("value", "x", "x", direction="lower_better", thresholds=(40, 30, 25, 20, 15))
    provinces = figures.colours_for(measure, [22.0, 35.0])
    districts = figures.colours_for(measure, [22.0, 90.0, 5.0])
    assert provinces[0] == districts[0]
    assert districts[1].lower() == "#b71c1c" and districts[2].lower() == "#1b5e20"  # clipped to scores 1 and 5


def test_pag014_sparkline_bullet_and_bars():
    spark = figures.sparkline_figure([1.0, 3.0, 2.0], "off_target")
    assert list(spark.data[0].y) == [1.0, 3.0, 2.0] and spark.data[1].marker.color == "#c62828"
    svg = figures.sparkline_svg([1.0, 3.0, 2.0], "on_target")
    assert svg.startswith("<svg") and "#2e7d32" in svg and "polyline" in svg
    bullet = figures.goal_bullet_figure(goals_frame(G2=1.5).query("goal != 'ALL'"), "th")
    assert list(bullet.data[0].y)[1] == "เป้าหมายที่ 2" and bullet.data[0].text[1] == "1.50 ✖"
    assert bullet.data[0].hovertext[1] == "เป้าหมายที่ 2: 1.50 ✖ ต่ำกว่าเป้าหมาย"
    bars = figures.ranked_bars_figure(province_frame(), Measure.goal_score("ALL"), "th")
    assert list(bars.data[0].y) == ["เชียงใหม่", "ลำพูน", "ลำปาง"]  # best first, no data last


def test_pag014b_value_bars_keep_the_unit_under_the_axis_and_room_for_their_labels():
    frame = province_frame().assign(value=[123456.5, 98.2, None])
    measure = Measure("value", "อัตรา", "Rate", "ต่อประชากรแสนคน", "per 100,000 people", decimals=1)
    bars = figures.ranked_bars_figure(frame, measure, "th")
    labels = list(bars.data[0].text)
    assert labels == ["123,456.5", "98.2", "ไม่มีข้อมูล"]
    assert all("ต่อประชากร" not in label for label in labels)
    assert bars.layout.xaxis.title.text == "ต่อประชากรแสนคน"
    assert bars.layout.margin.r >= 8 * len("123,456.5")  # the longest label fits right of its bar
    assert figures.ranked_bars_figure(frame, measure, "en").layout.xaxis.title.text == "per 100,000 people"
    dense = figures.ranked_bars_figure(frame, measure, "th", bar_height=16)
    assert dense.layout.yaxis.dtick == 1 and dense.layout.yaxis.tickfont.size <= 13  # every name, in a size that fits


# =========================================================================== layout pieces


def test_pag020_goal_tiles_show_thai_names_score_status_word_icon_and_coverage():
    tiles = goal_tiles(goals_frame(G2=3.54, G3=1.2), pd.DataFrame(columns=["goal"]), "th", None)
    text = texts(tiles)
    assert "สร้างสังคมที่สงบสุขและพึงปรารถนาร่วมกัน" in text
    assert "3.54" in text and "ตามเป้าหมาย" in text and "ต่ำกว่าเป้าหมาย" in text
    assert "มีข้อมูล 7/8 ตัวชี้วัด" in text
    icons = {c.className for c in find(tiles, lambda c: "bi-" in str(getattr(c, "className", "")))}
    assert any("bi-check-circle-fill" in i for i in icons) and any("bi-x-octagon-fill" in i for i in icons)


def test_pag021_a_kpi_row_shows_value_unit_target_rank_freshness_and_owner():
    row = kpi("income", "G1", 4.0, value=1234567.891, decimals=1, freshness="overdue")
    text = texts(kpi_row(row, "th"))
    assert "<script" not in kpi_row(kpi("x", "G1", 3.0, name_th="<script>alert(1)</script>"), "th")  # escaped
    assert "1,234,567.9 บาท" in text and "900.0 บาท" in text
    assert "2/4" in text and "ล่าช้า" in text and "สำนักงานจังหวัด" in text and "ปีงบประมาณ 2569" in text
    percent = texts(kpi_row(kpi("rate", "G1", 2.5, unit_th="ร้อยละ", value=87.24, decimals=1), "th"))
    assert "87.2 %" in percent and "เฝ้าระวัง" in percent


def test_pag022_worst_first_puts_the_worst_goal_and_kpis_first():
    card = pd.DataFrame(
        [
            kpi("a", "G1", 4.0),
            kpi("b", "G1", 1.5),
            kpi("c", "G1", None),
            kpi("d", "G1", None, scored=False),
            kpi("e", "G2", 1.0),
            kpi("f", "G2", 2.0),
        ]
    )
    goals = goals_frame(G1=2.75, G2=1.5)
    assert [(g, list(rows.kpi_id)) for g, rows in order_kpis(card, None)] == [("G1", list("abcd")), ("G2", list("ef"))]
    assert [(g, list(rows.kpi_id)) for g, rows in order_kpis(card, "worst")] == [
        ("G1", list("bacd")),
        ("G2", list("ef")),
    ]
    table = kpi_table(card, goals, "th", "worst")
    assert kpi_ids(table) == ["e", "f", "b", "a", "c", "d"]  # G2 (1.50) before G1 (2.75)


def test_pag023_english_words():
    text = texts(goal_tiles(goals_frame(G2=3.54), pd.DataFrame(columns=["goal"]), "en", None))
    assert "A peaceful, desirable society" in text and "On target" in text and "7/8 KPIs with data" in text


# =========================================================================== real pages, demo store


@pytest.mark.parametrize(
    "path, search, expected",
    [
        ("/", "?period=2569", ["ภาพรวมระดับประเทศ", "สร้างสังคมที่สงบสุขและพึงปรารถนาร่วมกัน", "กลุ่มที่ 18"]),
        ("/province/50", "?period=2569", ["จังหวัดเชียงใหม่", "ประเทศไทย", "กลุ่มจังหวัดภาคเหนือตอนบน 1", "ข้อมูลสาธิต"]),
        ("/province/99", "", ["ไม่พบจังหวัดนี้", "“99”"]),
    ],
)
def test_pag030_pages_answer_over_http_in_thai(demo_store, path, search, expected):
    client = dash_app().server.test_client()
    index = client.get(path + search)
    assert index.status_code == 200 and "ศูนย์ปฏิบัติการจังหวัด" in index.get_data(as_text=True)
    page = router(client, path, search)
    for text in expected:
        assert text in page


def test_pag031_overview_shows_goals_clusters_ranking_and_a_province_map(pages):
    layout = pages.overview.layout(period="2569")
    text = texts(layout)
    assert "ภาพรวมระดับประเทศ" in text and "ข้อมูลถึง ปีงบประมาณ 2569 (30 ก.ย. 2569) · นำเข้าล่าสุด " in text
    assert "ข้อมูลสาธิต" in text  # the demo banner
    for goal in ("สร้างความสามารถในการแข่งขันทางเศรษฐกิจและแก้ไขปัญหาความยากจน", "ปฏิบัติภารกิจตามนโยบายรัฐ"):
        assert goal in text
    assert "กลุ่มที่ 1" in text and "กลุ่มที่ 18" in text and "ไม่สังกัดกลุ่มจังหวัด" in text
    assert "ดีที่สุด" in text and "ต้องเร่งรัด" in text
    graph = by_id(layout, {"type": "area-map", "name": "provinces"})
    shown = [c for trace in graph.figure.data if trace.type == "choropleth" for c in trace.locations]
    assert len(shown) == 77
    links = [row[0] for trace in graph.figure.data if trace.type == "choropleth" for row in trace.customdata]
    assert "/province/50?lang=th&period=2569" in links
    cards = by_id(layout, "cluster-cards").children  # one block of markup, its links opened in the page
    clusters = re.findall(r'<a href="(/cluster/\d+)[^"]*" class="cluster-link spa-link"', cards)
    assert set(clusters) == {f"/cluster/{n}" for n in range(1, 19)}
    chips = re.findall(r'<a href="/province/(\d\d)[^"]*" class="province-chip spa-link"', cards)
    assert len(chips) == 77 and "50" in chips
    ranking = by_id(layout, "ranking-lists").children
    assert re.search(r'<a class="spa-link" href="/province/\d\d\?lang=th&amp;period=2569">', ranking)


def test_pag032_overview_map_can_show_any_kpi_with_its_unit_in_english(pages):
    layout = pages.overview.layout(lang="en", period="2569Q4", show="kpi:road_deaths_per_100k")
    text = texts(layout)
    assert "National overview" in text and "Road-traffic deaths per 100,000 population" in text
    assert "per 100,000 population" in text
    graph = by_id(layout, {"type": "area-map", "name": "provinces"})
    values = [trace for trace in graph.figure.data if trace.type == "choropleth"][-1]
    assert any("per 100,000 population" in h for h in values.hovertext)
    assert all(
        "lang=en" in link and "kpi=road_deaths_per_100k" in link for link in [row[0] for row in values.customdata]
    )
    toggle = by_id(layout, "language-toggle")
    assert toggle.href == "/?lang=th&period=2569Q4&show=kpi:road_deaths_per_100k"


def test_pag033_overview_says_what_it_did_not_understand(pages):
    text = texts(pages.overview.layout(period="next year", show="G9"))
    assert "ไม่เข้าใจค่า “next year” ของ period" in text and "ไม่เข้าใจค่า “G9” ของ show" in text
    assert "คะแนนรวม 6 เป้าหมาย" in text


def test_pag034_scorecard_has_breadcrumb_tiles_kpis_by_goal_and_a_district_map(pages):
    layout = pages.province.layout(code="50", period="2569")
    text = texts(layout)
    assert [item["label"] for item in by_id(layout, "breadcrumb").items] == [
        "ประเทศไทย",
        "กลุ่มจังหวัดภาคเหนือตอนบน 1",
        "เชียงใหม่",
    ]
    assert by_id(layout, "breadcrumb").items[1]["href"] == "/cluster/1?lang=th&period=2569"
    assert "จังหวัดเชียงใหม่" in text and "ข้อมูลสาธิต" in text
    assert "อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน" in text
    assert "ต่อประชากรแสนคน" in text  # units shown with values
    assert len(find(layout, lambda c: str(getattr(c, "id", "")).startswith("goal-tile-"))) == 6
    assert "ตัวชี้วัด" in text and "/4" in text  # coverage "n/m ตัวชี้วัด" and ranks "n/4" in the cluster
    assert len(kpi_ids(layout)) == 79
    district_map = by_id(layout, {"type": "area-map", "name": "districts"})
    links = [row[0] for trace in district_map.figure.data if trace.customdata is not None for row in trace.customdata]
    # Chiang Mai's 25 districts: the first and last ten as bars, the five between them one marker row
    assert links.count("") == 1 and len(links) == 21
    assert all(link.startswith("/district/50") for link in links if link)
    every = by_id(pages.province.layout(code="50", period="2569", all="1"), {"type": "area-map", "name": "districts"})
    assert len([row[0] for row in every.figure.data[0].customdata if row[0]]) == 25


def test_pag035_worst_first_and_links_keep_the_state(pages):
    layout = pages.province.layout(code="50", period="2569", sort="worst", lang="en")
    tiles = find(layout, lambda c: str(getattr(c, "id", "")).startswith("goal-tile-"))
    scores = [float(texts(t).split("\n")[2]) for t in tiles]
    assert scores == sorted(scores)
    assert by_id(layout, "sort-catalog").href == "/province/50?lang=en&period=2569"
    assert by_id(layout, "sort-worst").className.endswith("active")
    assert by_id(layout, "language-toggle").href.startswith("/province/50?lang=th&period=2569&sort=worst")


def test_pag038_a_kpi_not_published_by_district_falls_back_quietly(pages):
    quiet = texts(pages.province.layout(code="50", period="2569", kpi="gpp"))  # from the overview's GPP map
    assert "ไม่เข้าใจค่า" not in quiet
    assert "ไม่เข้าใจค่า “nonsense” ของ kpi" in texts(pages.province.layout(code="50", period="2569", kpi="nonsense"))


@pytest.mark.parametrize("code", ["99", "5001", "abc"])
def test_pag036_an_unknown_province_gets_a_clear_page(pages, code):
    text = texts(pages.province.layout(code=code))
    assert "ไม่พบจังหวัดนี้" in text and f"“{code}”" in text and "กลับไปหน้าภาพรวมประเทศ" in text


def test_pag037_bangkok_has_no_cluster_in_its_breadcrumb(pages):
    layout = pages.province.layout(code="10", period="2569")
    assert [item["label"] for item in by_id(layout, "breadcrumb").items] == ["ประเทศไทย", "กรุงเทพมหานคร"]
    assert "จังหวัดกรุงเทพมหานคร" not in texts(layout)
    assert "รายงานผลการดำเนินงานกรุงเทพมหานคร" in texts(layout)  # not "…จังหวัด": Bangkok is no province
    assert "รายงานผลการดำเนินงานจังหวัด" in texts(pages.province.layout(code="50", period="2569"))


# =========================================================================== both backends


FY2569 = Period("Y", 2569, 0)


def v(kpi_id: str, area_code: str, value: float, period: Period = FY2569) -> dict:
    return dict(
        kpi_id=kpi_id,
        area_code=area_code,
        period_type=period.period_type,
        fiscal_year=period.fiscal_year,
        period_no=period.period_no,
        value=float(value),
        target=np.nan,
        source=None,
        is_preliminary=False,
        is_revised=False,
        is_demo=False,
    )


def test_pag040_scorecard_and_district_map_on_each_backend(store, monkeypatch):
    rows = [
        v("road_deaths_per_100k", "50", 27.25),
        v("road_deaths_per_100k", "51", 30.0),
        v("road_deaths_per_100k", "5001", 12345.5),
        v("road_deaths_per_100k", "5002", 20.0),
        v("gpp_per_capita", "50", 573156.0),
    ]
    with logged_import(store, "values", "test", "tester") as (connection, counts):
        counts.update(
            rows_read=len(rows),
            **write_values(connection, pd.DataFrame(rows, columns=list(VALUE_COLUMNS)), counts["import_id"], "tester"),
        )
    with logged_import(store, "boundaries", "test", "tester") as (connection, counts):
        replace_boundaries(
            connection,
            [
                dict(
                    area_code=code,
                    detail="web",
                    geojson=square(98.9 + i / 10, 18.7),
                    bbox=(98.9 + i / 10, 18.7, 99.0 + i / 10, 18.8),
                )
                for i, code in enumerate(["5001", "5002"])
            ],
            counts["import_id"],
        )
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    reset_caches()
    dash_app()
    province = importlib.import_module("pages.province")

    layout = province.layout(code="50", period="2569", kpi="road_deaths_per_100k")
    text = texts(layout)
    assert "27.25 ต่อประชากรแสนคน" in text and "573,156 บาท/คน/ปี" in text
    assert "ไม่มีข้อมูล" in text  # KPIs without values are listed, marked no data
    assert "ข้อมูลสาธิต" not in text  # real values: no demo banner
    district_map = by_id(layout, {"type": "area-map", "name": "districts"})
    choropleths = [trace for trace in district_map.figure.data if trace.type == "choropleth"]
    assert sorted(c for trace in choropleths for c in trace.locations)[:2] == ["5001", "5002"]
    assert any("12,345.5" in h for trace in choropleths for h in trace.hovertext)
    reset_caches()


def test_pag041_overview_district_level_maps_every_district_and_opens_it(store, monkeypatch):
    rows = [
        v("road_deaths_per_100k", "50", 27.25),
        v("road_deaths_per_100k", "5001", 12345.5),
        v("road_deaths_per_100k", "1001", 20.0),
    ]
    with logged_import(store, "values", "test", "tester") as (connection, counts):
        counts.update(
            rows_read=len(rows),
            **write_values(connection, pd.DataFrame(rows, columns=list(VALUE_COLUMNS)), counts["import_id"], "tester"),
        )
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    reset_caches()
    dash_app()
    overview = importlib.import_module("pages.overview")

    # no district boundaries yet: the provinces are shown, and the page says why
    text = texts(overview.layout(period="2569", show="kpi:road_deaths_per_100k", level="district"))
    assert "ยังไม่ได้นำเข้าขอบเขตอำเภอ" in text and "จึงแสดงรายจังหวัดแทน" in text
    assert "แผนภูมิแท่ง" not in text  # the province page's sentence (its districts as bars) is not this one
    with logged_import(store, "boundaries", "test", "tester") as (connection, counts):
        replace_boundaries(
            connection,
            [
                dict(
                    area_code=code,
                    detail="overview",
                    geojson=square(98.9 + i / 10, 18.7),
                    bbox=(98.9 + i / 10, 18.7, 99.0 + i / 10, 18.8),
                )
                for i, code in enumerate(["5001", "5002", "1001"])
            ],
            counts["import_id"],
        )
    reset_caches()
    layout = overview.layout(lang="en", period="2569", show="kpi:road_deaths_per_100k", level="district")
    graph = by_id(layout, {"type": "area-map", "name": "provinces"})
    choropleths = [trace for trace in graph.figure.data if trace.type == "choropleth"]
    links = {row[0] for trace in choropleths for row in trace.customdata}
    assert len(links) == 928  # every district is on the map, those without data in grey
    assert "/district/5001?lang=en&period=2569&kpi=road_deaths_per_100k" in links
    hovers = [h for trace in choropleths for h in trace.hovertext]
    assert any("<b>Mueang Chiang Mai</b>" in h and "12,345.50 per 100,000 population" in h for h in hovers)
    assert "Click a district to open it" in texts(layout)
    assert by_id(layout, "language-toggle").href.endswith("show=kpi:road_deaths_per_100k&level=district")
    # a goal score exists by province only
    assert "The district map shows only KPIs published by district" in texts(
        overview.layout(lang="en", period="2569", show="G2", level="district")
    )
    reset_caches()


@pytest.mark.parametrize(
    "path, search",
    [
        ("/", "?period=2569"),
        ("/province/50", ""),
        ("/district/5001", ""),
        ("/cluster/1", ""),
        ("/kpi/road_deaths_per_100k", ""),
        ("/data", ""),
        ("/province/99", ""),
    ],
)
def test_pag040_every_page_has_one_main_heading(demo_store, path, search):
    """One h1 per page: what a screen reader announces first, and what the page bench waits for."""
    page = json.loads(router(dash_app().server.test_client(), path, search))
    headings = re.findall(r'"type": "H1"', json.dumps(page))
    assert len(headings) == 1, f"{path}: {len(headings)} h1"
