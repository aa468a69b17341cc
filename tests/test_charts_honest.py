"""Honest charts (issue 19): every chart of the pages carries its text alternative (a sentence
saying what it shows, its highest and lowest or its latest value and change, in the view's
language, and a table of every value plotted), value axes start at zero for what is additive or
a share, and a long ranking shows its first and last ten bars with a way to show them all.

Pages are rendered from the module's demo store (as of 21 Nov 2026; every province and the
districts of Chiang Mai and Bangkok) for ?period=2569; assertions are on what a reader sees."""

from __future__ import annotations

import importlib
import re
from html import unescape
from types import SimpleNamespace

import pandas as pd
import pytest
from dash import dcc, html

from data.query import Scope, areas, get_engine
from data.rules.catalog import get_catalog
from helpers import by_id, dash_app, find, texts
from layouts.components.chart_text import RankingView, ranking_figure
from layouts.figures import Measure, ranked_bars_figure, series_figure
from layouts.figures.common import starts_at_zero

ROAD = "road_deaths_per_100k"


@pytest.fixture
def pages(demo_store):
    dash_app()
    return SimpleNamespace(
        **{name: importlib.import_module(f"pages.{name}") for name in ("overview", "province", "cluster", "kpi")}
    )


def table_of(figure: html.Figure) -> tuple[str, list[str], list[list[str]]]:
    """A chart's table as a reader finds it: its caption, column headers, and each row's cells."""
    markup = find(figure, lambda c: isinstance(c, dcc.Markdown))[0].children
    plain = lambda cell: unescape(re.sub(r"<[^>]+>", "", cell)).strip()  # noqa: E731
    caption = plain(re.search(r"<caption>(.*?)</caption>", markup).group(1))
    headers = [plain(h) for h in re.findall(r'<th scope="col">(.*?)</th>', markup)]
    body = markup.split("<tbody>", 1)[1]
    rows = [
        [plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    return caption, headers, rows


def read(component) -> str:
    """A component's text as a reader reads it (one line)."""
    return texts(component).replace("\n", "")


def summary_of(figure: html.Figure) -> str:
    return read(find(figure, lambda c: isinstance(c, html.P) and "chart-summary" in (c.className or ""))[0])


def number(text: str) -> float:
    return float(re.match(r"-?[\d,]+(\.\d+)?", text).group(0).replace(",", ""))


# =========================================================================== every chart is described


PAGES = [
    ("overview", {}),
    ("overview", {"show": f"kpi:{ROAD}", "lang": "en"}),
    ("province", {"code": "50"}),
    ("province", {"code": "50", "lang": "en"}),
    ("cluster", {"number": "1"}),
    ("kpi", {"kpi_id": ROAD, "area": "50"}),
    ("kpi", {"kpi_id": "gpp", "lang": "en"}),
]


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_chr001_every_graph_of_a_page_is_a_described_figure(pages, name, params):
    """Each dcc.Graph sits in an html.Figure: a wrapper labelled as an image by the chart's name
    and described by the caption's sentence, and a table of the values behind "Show as table"."""
    layout = getattr(pages, name).layout(period="2569", **params)
    english = params.get("lang") == "en"
    graphs = find(layout, lambda c: isinstance(c, dcc.Graph))
    figures = find(layout, lambda c: isinstance(c, html.Figure))
    assert graphs and len(figures) == len(graphs)
    for figure in figures:
        wrapper = figure.children[0]
        assert isinstance(wrapper.children, dcc.Graph) and wrapper.role == "img"
        sentence = summary_of(figure)
        assert getattr(wrapper, "aria-describedby") == f"{figure.id}-summary"
        assert read(by_id(figure, f"{figure.id}-summary")) == sentence
        label = getattr(wrapper, "aria-label")
        assert label and sentence and label != sentence
        summary = find(figure, lambda c: isinstance(c, html.Summary))[0]
        assert read(summary) == ("Show as table" if english else "ดูเป็นตาราง")
        caption, headers, rows = table_of(figure)
        assert caption == ("Values plotted: " if english else "ค่าที่แสดงในแผนภูมิ: ") + label
        assert headers and rows and all(len(row) == len(headers) for row in rows)
        # one language per view: no Thai letter in an English sentence or table, and the other way round
        thai = re.compile("[\u0e00-\u0e7f]")
        shown = sentence + caption + " ".join(headers)
        assert bool(thai.search(shown)) is not english, shown


def test_chr002_the_kpi_trend_says_its_latest_value_and_change_and_tables_every_period(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, area="50", period="2569")
    figure = by_id(layout, "kpi-series-figure")
    points = by_id(layout, "kpi-series").figure.data[0]
    caption, headers, rows = table_of(figure)
    assert headers == ["ช่วงเวลา", "ค่าล่าสุด", "ค่าเป้าหมาย", "สถานะ"]
    assert [row[0] for row in rows] == list(points.x)  # every period the line draws, in its order
    assert [number(row[1]) for row in rows] == pytest.approx([round(v, 2) for v in points.y])
    sentence = summary_of(figure)
    latest, first = rows[-1], rows[0]
    change = "เพิ่มขึ้น" if number(latest[1]) > number(first[1]) else "ลดลง"
    assert f"ล่าสุด {latest[1]} ({latest[0]}) {change} จาก {first[1]} ({first[0]})" in sentence
    high = max(rows, key=lambda row: number(row[1]))
    low = min(rows, key=lambda row: number(row[1]))
    assert f"สูงสุด {high[1]} ({high[0]})" in sentence and f"ต่ำสุด {low[1]} ({low[0]})" in sentence
    assert sentence.startswith("อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน · เชียงใหม่")


def test_chr003_the_ranking_table_lists_every_province_and_names_the_ends(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, period="2569", lang="en")
    figure = by_id(layout, "kpi-bars-figure")
    caption, headers, rows = table_of(figure)
    assert len(rows) == 77 and headers == ["Area", "per 100,000 population", "Status"]
    values = [number(row[1]) for row in rows]
    assert values == sorted(values)  # the bars' order: lower is better, the lowest first
    sentence = summary_of(figure)
    assert sentence.startswith("Road-traffic deaths per 100,000 population · Across the provinces: 77 areas;")
    assert f"highest {rows[-1][0]} ({rows[-1][1]})" in sentence and f"lowest {rows[0][0]} ({rows[0][1]})" in sentence
    # the rows link where the bars open: the table is how a keyboard reaches a province
    markup = find(figure, lambda c: isinstance(c, dcc.Markdown))[0].children
    assert markup.count('href="/province/') == 77


def test_chr004_the_goal_bars_and_the_map_are_described_in_english(pages):
    layout = pages.province.layout(code="50", period="2569", lang="en")
    bullet = by_id(layout, "goal-bullet-figure")
    caption, headers, rows = table_of(bullet)
    bars = find(bullet, lambda c: isinstance(c, dcc.Graph))[0].figure.data[0]
    assert [row[0] for row in rows] == list(bars.y) == [f"Goal {n}" for n in range(1, 7)]
    scores = {row[0]: row[1] for row in rows}
    best = max(scores, key=lambda goal: float(scores[goal]))
    assert f"highest {best} ({scores[best]})" in summary_of(bullet)
    overview = pages.overview.layout(period="2569", lang="en")
    sentence = summary_of(by_id(overview, "map-figure"))
    assert sentence.startswith("Overall score (6 goals) · 77 provinces: ") and "highest" in sentence


def test_chr005_the_cluster_radar_and_heatmap_say_their_ends_and_counts(pages):
    layout = pages.cluster.layout(number="1", period="2569", lang="en")
    radar = by_id(layout, "goal-radar-figure")
    _caption, headers, rows = table_of(radar)
    assert headers == ["Province", *(f"Goal {n}" for n in range(1, 7))] and len(rows) == 4
    cells = [(float(score), f"{row[0]} · {headers[i]}", score) for row in rows for i, score in enumerate(row) if i]
    high, low = max(cells, key=lambda c: c[0]), min(cells, key=lambda c: c[0])
    sentence = summary_of(radar)
    assert f"highest {high[1]} ({high[2]})" in sentence and f"lowest {low[1]} ({low[2]})" in sentence
    heatmap = by_id(layout, "cluster-heatmap-figure")
    _caption, headers, rows = table_of(heatmap)
    assert headers[0] == "KPI" and len(headers) == 5  # a column per member province
    words = [cell for row in rows for cell in row[1:]]
    on_target = sum(cell.endswith("On target") for cell in words)
    watch = sum(cell.endswith("Watch") for cell in words)
    off = sum(cell.endswith("Off target") for cell in words)
    assert on_target + watch + off > 0
    assert summary_of(heatmap) == (
        f"Scores of {len(rows)} KPIs in 4 provinces: {on_target} cells on target, {watch} watch, "
        f"{off} off target, {len(words) - on_target - watch - off} without a score"
    )


# =========================================================================== honest axes


def series(values) -> pd.DataFrame:
    labels = [f"FY {2560 + i}" for i in range(len(values))]
    return pd.DataFrame({"label_th": labels, "label_en": labels, "value": values, "status": "on_target"})


def test_chr010_value_axes_start_at_zero_for_counts_money_shares_and_rates():
    """The trend of a KPI from 22 to 27 is drawn from zero when it is a count, an amount, a share
    or a rate; a growth rate or an index on a scale of its own is fitted to its values."""
    kpis = get_catalog().by_id()
    fitted = {k for k, kpi in kpis.items() if not starts_at_zero(kpi)}
    assert fitted == {
        "gpp_real_growth",
        "otop_sales_growth",
        "tourism_income_growth",
        "surface_water_wqi",
        "ita_score",
        "pmqa_score",
        "onet_grade9_mean",
    }
    frame = pd.DataFrame({"area_code": ["10", "50"], "name_th": ["ก", "ข"], "name_en": ["a", "b"], "value": [22, 27]})
    for kpi_id, kpi in kpis.items():  # every KPI of the catalog, its trend and its bars alike
        measure = Measure.kpi_value(kpi)
        trend = series_figure(series([22.0, 25.0, 27.0]), measure).layout.yaxis
        bars = ranked_bars_figure(frame, measure).layout.xaxis
        if kpi_id in fitted:
            assert trend.rangemode in (None, "normal") and trend.range is None, kpi_id
            assert bars.rangemode in (None, "normal") and bars.range is None, kpi_id
        else:
            assert trend.rangemode == "tozero" and bars.rangemode == "tozero", kpi_id
    for kpi_id in (ROAD, "gpp", "budget_disbursement_pct", "unemployment_rate", "road_deaths", "forest_cover_pct"):
        assert kpi_id not in fitted  # counts, money, shares and rates per population


def test_chr011_the_kpi_pages_trend_starts_at_zero(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, period="2569")
    figure = by_id(layout, "kpi-series").figure
    assert min(figure.data[0].y) > 20  # the values would start a fitted axis near 22
    assert figure.layout.yaxis.rangemode == "tozero"
    ita = by_id(pages.kpi.layout(kpi_id="ita_score", area="50", period="2569"), "kpi-series").figure
    assert ita.layout.yaxis.rangemode != "tozero"  # an index: fitted, see starts_at_zero


# =========================================================================== long rankings


def bar_names(layout, name: str) -> list[str]:
    return list(by_id(layout, {"type": "area-map", "name": name}).figure.data[0].y)


def test_chr020_a_long_ranking_shows_its_ends_and_a_link_to_show_all(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, period="2569")
    every = pages.kpi.layout(kpi_id=ROAD, period="2569", all="1")
    all_names = bar_names(every, "kpi-bars")
    assert len(all_names) == 77
    shown = bar_names(layout, "kpi-bars")
    assert shown == all_names[:10] + ["… อีก 57 พื้นที่ …"] + all_names[-10:]
    bars = by_id(layout, {"type": "area-map", "name": "kpi-bars"}).figure
    assert bars.data[0].x[10] is None and bars.data[0].text[10] == ""  # the marker row draws no bar
    assert bars.layout.height < 700  # 21 rows, not 77: the page no longer runs 3,800 px tall
    link = by_id(layout, "kpi-bars-figure-all")
    assert read(link) == "แสดงทั้งหมด (77)" and link.href == f"/kpi/{ROAD}?lang=th&period=2569&all=1"
    back = by_id(every, "kpi-bars-figure-ends")
    assert read(back) == "แสดงเฉพาะ 10 อันดับแรกและ 10 อันดับท้าย"
    assert back.href == f"/kpi/{ROAD}?lang=th&period=2569"
    assert by_id(every, "language-toggle").href == f"/kpi/{ROAD}?lang=en&period=2569&all=1"  # kept in the URL state
    assert "แสดง 20 จาก 77 พื้นที่" in texts(layout)
    assert len(table_of(by_id(layout, "kpi-bars-figure"))[2]) == 77  # the table lists every province


def test_chr021_the_area_chosen_stays_in_view_in_the_middle_of_a_ranking(pages):
    every = bar_names(pages.kpi.layout(kpi_id=ROAD, area="50", period="2569", all="1"), "kpi-bars")
    assert len(every) == 25  # Chiang Mai's districts
    table = areas(get_engine())
    middle = every[12]
    code = table[(table["name_th"] == middle) & table.index.str.startswith("50")].index[0]
    shown = bar_names(pages.kpi.layout(kpi_id=ROAD, area=code, period="2569"), "kpi-bars")
    assert middle in shown and len(shown) == 10 + 2 + 1 + 10  # two markers, one either side of it
    assert shown.index(middle) == 11 and shown[10].startswith("… อีก") and shown[12].startswith("… อีก")


def test_chr021b_the_viewers_own_province_stays_in_view(pages, monkeypatch):
    every = bar_names(pages.kpi.layout(kpi_id=ROAD, period="2569", all="1"), "kpi-bars")
    table = areas(get_engine())
    middle = every[38]
    code = table[(table["name_th"] == middle) & (table["level"] == "province")].index[0]
    assert middle not in bar_names(pages.kpi.layout(kpi_id=ROAD, period="2569"), "kpi-bars")
    # a viewer of that province (their scope): its bar is drawn between the two ends
    monkeypatch.setattr("pages._ranking.viewer_scope", lambda: Scope(province_codes=frozenset({code})))
    shown = bar_names(pages.kpi.layout(kpi_id=ROAD, period="2569"), "kpi-bars")
    assert shown[10:13] == ["… อีก 28 พื้นที่ …", middle, "… อีก 28 พื้นที่ …\u200b"]


def test_chr022_a_short_ranking_is_drawn_whole_without_a_link():
    measure = Measure.kpi_value(get_catalog().by_id()[ROAD])

    def areas(n: int) -> pd.DataFrame:
        codes = [str(10 + i) for i in range(n)]
        return pd.DataFrame({"area_code": codes, "name_th": codes, "name_en": codes, "value": range(n)})

    view = RankingView(all_href="/x?all=1", ends_href="/x")
    short = ranking_figure(areas(20), measure, "th", title="t", element_id="r", ranking=view)
    assert len(find(short, lambda c: isinstance(c, dcc.Graph))[0].figure.data[0].y) == 20
    assert not find(short, lambda c: isinstance(c, dcc.Link))
    long = ranking_figure(areas(21), measure, "en", title="t", element_id="r", ranking=view)
    bars = find(long, lambda c: isinstance(c, dcc.Graph))[0].figure.data[0]
    assert len(bars.y) == 21 and list(bars.y).count("… 1 more …") == 1
    assert [read(link) for link in find(long, lambda c: isinstance(c, dcc.Link))] == ["Show all (21)"]


def test_chr023_an_unknown_all_value_is_named_and_the_ends_are_shown(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, period="2569", all="yes")
    assert "“yes”" in texts(layout) and "all" in texts(layout)
    assert len(bar_names(layout, "kpi-bars")) == 21
