"""The cluster (OSM) comparison page /cluster/<number> and the page-not-found page.

Rendered from a small SQLite demo store (as tests/test_pages.py does) in which Mae Hong Son
(58) has no road-traffic deaths at all, so a member without data is shown. Assertions are on
what a user reads: names, Thai goal names, numbers with units and separators, "–" for no data.
"""

from __future__ import annotations

import importlib
import re

import numpy as np
import pandas as pd
import pytest

from data.store.engine import make_engine
from helpers import by_id, dash_app, find, reading_store, router, texts
from layouts.figures import FONT_FAMILY, NO_DATA_COLOUR, SCORE_SCALE, goal_radar_figure, score_heatmap_figure
from stores import demo_frame, initialise, write_demo

MISSING_PROVINCE, MISSING_KPI = "58", "road_deaths_per_100k"
CLUSTER_1 = ("เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน")


@pytest.fixture(scope="module")
def cluster_store(tmp_path_factory, catalog):
    """Demo values of every province (no districts), without Mae Hong Son's road deaths."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cluster') / 'demo.sqlite'}"
    engine = initialise(make_engine(url), catalog)
    frame = demo_frame(engine, catalog, districts_of=())
    write_demo(engine, frame[~((frame["area_code"] == MISSING_PROVINCE) & (frame["kpi_id"] == MISSING_KPI))])
    engine.dispose()
    with reading_store(url):
        dash_app()
        yield url


@pytest.fixture
def cluster_page(cluster_store):
    return importlib.import_module("pages.cluster")


def heatmap(layout):
    return by_id(layout, {"type": "area-map", "name": "cluster-heatmap"}).figure


def cell_texts(figure) -> list[str]:
    return [cell for trace in figure.data if trace.type == "heatmap" for row in trace.text for cell in row]


# =========================================================================== figures, hand-made frames


def comparison_frame() -> pd.DataFrame:
    rows = []
    for code, name in (("50", "เชียงใหม่"), ("58", "แม่ฮ่องสอน")):
        for kpi_id, goal, score in (("k1", "G1", 4.2), ("k2", "G1", 1.5), ("k3", "G2", 2.5)):
            missing = code == "58" and kpi_id == "k3"
            status = "no_data" if missing else "on_target" if score >= 3 else "watch" if score >= 2 else "off_target"
            rows.append(
                dict(
                    area_code=code,
                    name_th=name,
                    name_en=name,
                    kpi_id=kpi_id,
                    goal=goal,
                    kpi_name_th=f"ตัวชี้วัด {kpi_id}",
                    kpi_name_en=f"KPI {kpi_id}",
                    unit_th="บาท",
                    unit_en="THB",
                    decimals=0,
                    value=np.nan if missing else 12345.0,
                    score=np.nan if missing else score,
                    status=status,
                    rank_cluster=np.nan if missing else 1,
                    cluster_size=2,
                )
            )
    return pd.DataFrame(rows)


def test_cls001_heatmap_scores_on_the_fixed_scale_with_status_symbols_and_grey_dashes():
    figure = score_heatmap_figure(comparison_frame(), "th")
    traces = [trace for trace in figure.data if trace.type == "heatmap"]
    scored = [trace for trace in traces if trace.zmin == 1]
    assert scored and all(trace.zmax == 5 and [list(s) for s in trace.colorscale] == SCORE_SCALE for trace in scored)
    greys = [trace for trace in traces if trace.zmin == 0]
    assert all(trace.colorscale[0][1] == NO_DATA_COLOUR for trace in greys)
    cells = cell_texts(figure)
    assert "4.20 ✔" in cells and "1.50 ✖" in cells and "2.50 ▲" in cells and "–" in cells
    hovers = [h for trace in traces for row in trace.hovertext for h in row]
    assert any("12,345 บาท" in h for h in hovers) and any("ไม่มีข้อมูล" in h for h in hovers)
    titles = [a.text for a in figure.layout.annotations]
    assert any("สร้างสังคมที่สงบสุขและพึงปรารถนาร่วมกัน" in title for title in titles)  # grouped by goal
    assert list(traces[0].x) == ["เชียงใหม่", "แม่ฮ่องสอน"]


def test_cls001b_heatmap_panels_stack_one_per_goal_with_labels_on_top():
    figure = score_heatmap_figure(comparison_frame(), "th")
    layout = figure.layout
    panels = sorted((layout[name].domain for name in ("yaxis", "yaxis2")), reverse=True)
    assert panels[0][1] == 1.0 and panels[1][0] == 0.0 and panels[1][1] < panels[0][0]  # top to bottom, a gap between
    assert layout.xaxis.side == "top" and layout.xaxis.matches == "x2"  # province names above the first panel
    assert [trace.yaxis for trace in figure.data] == ["y", "y", "y2", "y2"]


def test_cls001c_figures_are_validated_under_the_tests():
    """figure_from skips plotly's validation in the app; here it must catch a wrong property."""
    from layouts.figures import figure_from

    with pytest.raises(ValueError, match="colourscale"):
        figure_from([{"type": "heatmap", "colourscale": "Viridis"}], {})


def test_cls002_radar_has_one_trace_per_province_in_sarabun():
    goals = pd.DataFrame(
        [
            dict(area_code=code, name_th=name, name_en=name, goal=f"G{g}", score=2.0 + g / 3, status="on_target")
            for code, name in (("50", "เชียงใหม่"), ("51", "ลำพูน"))
            for g in range(1, 7)
        ]
    )
    figure = goal_radar_figure(goals, "th")
    assert [trace.name for trace in figure.data] == ["เชียงใหม่", "ลำพูน"]
    assert figure.layout.font.family == FONT_FAMILY and list(figure.layout.polar.radialaxis.range) == [1, 5]
    assert list(figure.data[0].theta)[:6] == [f"เป้าหมายที่ {g}" for g in range(1, 7)]


# =========================================================================== the page, demo store


def test_cls010_cluster_1_shows_members_head_date_goals_and_links(cluster_page):
    layout = cluster_page.layout(number="1", period="2569")
    text = texts(layout)
    assert [item["label"] for item in by_id(layout, "breadcrumb").items] == ["ประเทศไทย", "กลุ่มจังหวัดภาคเหนือตอนบน 1"]
    assert by_id(layout, "breadcrumb").items[0]["href"] == "/?lang=th&period=2569"
    assert "กลุ่มที่ 1" in text and "ข้อมูลสาธิต" in text
    for name in CLUSTER_1:
        assert name in texts(by_id(layout, "cluster-facts")) and name in texts(by_id(layout, "cluster-ranks"))
    assert "จังหวัดหัวหน้ากลุ่ม\nเชียงใหม่" in text and "ยังไม่ยืนยัน" not in text  # cluster 1's head is confirmed
    assert "การจัดกลุ่ม ณ 1 ส.ค. 2560" in text
    for goal in ("สร้างความสามารถในการแข่งขันทางเศรษฐกิจและแก้ไขปัญหาความยากจน", "ปฏิบัติภารกิจตามนโยบายรัฐ"):
        assert goal in text
    links = {c.href for c in find(layout, lambda c: str(getattr(c, "href", "")).startswith("/province/"))}
    assert {f"/province/{code}?lang=th&period=2569" for code in ("50", "51", "52", "58")} <= links
    ranks = texts(by_id(layout, "cluster-ranks"))
    assert "ดีที่สุดในกลุ่ม" in ranks and re.search(r"\d\.\d\d คะแนน", ranks) and "/77" in ranks
    radar = by_id(layout, "goal-radar").figure
    assert sorted(trace.name for trace in radar.data) == sorted(CLUSTER_1)
    figure = heatmap(layout)
    assert len([a for a in figure.layout.annotations]) == 6  # one panel per goal
    assert set(figure.data[0].x) == set(CLUSTER_1)


def test_cls011_a_member_without_data_is_listed_with_dashes(cluster_page):
    layout = cluster_page.layout(number="1", period="2569", show=f"kpi:{MISSING_KPI}")
    rank_row = texts(by_id(layout, f"rank-{MISSING_PROVINCE}")).split("\n")
    assert rank_row[0] == "–" and "แม่ฮ่องสอน" in rank_row and "ไม่มีข้อมูล" in rank_row and rank_row.count("–") >= 4
    ranks = texts(by_id(layout, "cluster-ranks"))
    assert re.search(r"\d+\.\d\d ต่อประชากรแสนคน", ranks)  # values and gaps with the unit
    assert "ดีที่สุดในกลุ่ม" in ranks
    figure = heatmap(layout)
    column = list(figure.data[0].x).index("แม่ฮ่องสอน")
    panel = [trace for trace in figure.data if trace.type == "heatmap" and MISSING_KPI in list(trace.y)]
    row = list(panel[0].y).index(MISSING_KPI)
    assert all(trace.text[row][column] == "–" for trace in panel)
    assert panel[0].z[row][column] == 0.0 and panel[1].z[row][column] is None  # grey, not a score colour
    assert "/province/58?lang=th&period=2569&kpi=road_deaths_per_100k" in {
        link for trace in panel for row_links in trace.customdata for link in row_links
    }


def test_cls012_a_goal_narrows_the_heatmap_to_its_kpis(cluster_page):
    layout = cluster_page.layout(number="1", period="2569", show="G2")
    figure = heatmap(layout)
    assert [a.text for a in figure.layout.annotations] == ["<b>G2</b> สร้างสังคมที่สงบสุขและพึงปรารถนาร่วมกัน"]
    assert "เฉพาะเป้าหมายที่ 2" in texts(layout)
    assert by_id(layout, "cluster-goal-G2").className.endswith("active")
    assert by_id(layout, "language-toggle").href == "/cluster/1?lang=en&period=2569&show=G2"


def test_cls013_english_with_thousands_separators_and_units(cluster_page):
    layout = cluster_page.layout(number="1", lang="en", period="2569", show="kpi:gpp")
    text = texts(layout)
    assert "Upper North 1 cluster" in text and "Member provinces (4)" in text and "Chiang Mai" in text
    assert "Membership as of 1 Aug 2017" in text
    assert re.search(r"\d{1,3}(,\d{3})+ million THB", texts(by_id(layout, "cluster-ranks")))
    assert "Economic competitiveness and poverty reduction" in text
    links = {c.href for c in find(layout, lambda c: str(getattr(c, "href", "")).startswith("/province/50"))}
    assert "/province/50?lang=en&period=2569&kpi=gpp" in links


def test_cls014_an_unverified_head_is_said_so(cluster_page):
    text = texts(cluster_page.layout(number="18", period="2569"))
    assert "กลุ่มจังหวัดภาคใต้ชายแดน" in text and "ยะลา" in text and "ยังไม่ยืนยัน" in text
    assert "unverified" in texts(cluster_page.layout(number="18", lang="en"))


def test_cls015_a_wrong_show_is_reported_and_the_overall_score_shown(cluster_page):
    text = texts(cluster_page.layout(number="1", period="2569", show="G9"))
    assert "ไม่เข้าใจค่า “G9” ของ show" in text and "คะแนนรวม 6 เป้าหมาย" in text


@pytest.mark.parametrize("number", ["99", "0", "abc"])
def test_cls020_an_unknown_cluster_gets_a_clear_page(cluster_page, number):
    text = texts(cluster_page.layout(number=number))
    assert "ไม่พบกลุ่มจังหวัดนี้" in text and f"“{number}”" in text and "กลับไปหน้าภาพรวมประเทศ" in text


@pytest.mark.parametrize(
    "path, search, expected",
    [
        ("/cluster/1", "?period=2569", ["กลุ่มจังหวัดภาคเหนือตอนบน 1", "แม่ฮ่องสอน", "ลำปาง"]),
        ("/cluster/99", "", ["ไม่พบกลุ่มจังหวัดนี้", "“99”"]),
        ("/no/such/page", "", ["ไม่พบหน้านี้", "ไปหน้าแรก"]),
        ("/no/such/page", "?lang=en", ["Page not found", "Go to the home page"]),
    ],
)
def test_cls021_over_http(cluster_store, path, search, expected):
    client = dash_app().server.test_client()
    assert client.get(path + search).status_code == (404 if path == "/no/such/page" else 200)  # no page claims it
    page = router(client, path, search)
    for text in expected:
        assert text in page
