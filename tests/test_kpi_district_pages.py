"""The KPI page (/kpi/<id>) and the district page (/district/<code>), without a browser.

Rendered from a small SQLite demo store (as of 21 Nov 2026): every province, the districts
of Chiang Mai and Bangkok, and the subdistricts of two Chiang Mai districts, Mueang (5001,
no subdistrict boundaries: bars) and Chom Thong (5002, with boundaries: a map). Pages are
asked for ?period=2569 so the answers do not depend on the day the tests run. Assertions are
on what a user reads, and on the downloaded files.
"""

from __future__ import annotations

import base64
import csv
import importlib
import io
import re
from html import unescape
from types import SimpleNamespace

import openpyxl
import pytest

from data.store.areas import area_frame
from data.store.boundaries import replace_boundaries
from data.store.engine import make_engine
from data.store.setup import logged_import
from helpers import by_id, dash_app, find, reading_store, router, square, texts
from stores import demo_frame, initialise, write_demo

SUBDISTRICTS_OF = ("5001", "5002")
ROAD = "road_deaths_per_100k"


def build_store(url: str, catalog) -> None:
    """The demo store (stores.build_demo_store) with the subdistricts of SUBDISTRICTS_OF too, and
    boundaries for Chom Thong's subdistricts."""
    engine = initialise(make_engine(url), catalog)
    write_demo(engine, demo_frame(engine, catalog, subdistricts_of=SUBDISTRICTS_OF))
    with engine.connect() as connection:
        areas = area_frame(connection)
    chom_thong = sorted(c for c in areas["code"] if len(c) == 6 and c.startswith("5002"))
    with logged_import(engine, "boundaries", "test", "tester") as (connection, counts):
        replace_boundaries(
            connection,
            [
                dict(
                    area_code=code,
                    detail="web",
                    geojson=square(98.5 + i / 10, 18.4),
                    bbox=(98.5 + i / 10, 18.4, 98.6 + i / 10, 18.5),
                )
                for i, code in enumerate(chom_thong)
            ],
            counts["import_id"],
        )
    engine.dispose()


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, catalog):
    url = f"sqlite:///{tmp_path_factory.mktemp('kpi_pages') / 'demo.sqlite'}"
    build_store(url, catalog)
    with reading_store(url):
        dash_app()
        yield url


@pytest.fixture
def pages(store_url):
    return SimpleNamespace(
        kpi=importlib.import_module("pages.kpi"),
        district=importlib.import_module("pages.district"),
        downloads=importlib.import_module("callbacks.kpi_download"),
    )


def table_rows(layout, component_id: str) -> list[list[str]]:
    """The cells of each body row of a markup table, as a user reads them."""
    markup = by_id(layout, component_id).children
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", markup.split("<tbody>", 1)[1])
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in rows
    ]


def csv_rows(pages, state: dict) -> tuple[str, list[list[str]], bytes]:
    download = pages.downloads.download_csv(1, state)
    content = base64.b64decode(download["content"]) if download.get("base64") else download["content"].encode()
    return download["filename"], list(csv.reader(io.StringIO(content.decode("utf-8-sig")))), content


# =========================================================================== /kpi/<id>


def test_kdp001_kpi_page_shows_the_definition_in_thai(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, period="2569")
    text = texts(layout)
    for expected in (
        "อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน",
        "สร้างสังคมที่สงบสุขและพึงปรารถนาร่วมกัน",
        "ยิ่งน้อยยิ่งดี",
        "25.00 ต่อประชากรแสนคน",
        "25 จาก 100 ในเป้าหมาย G2",
        "รายปี",
        "อำเภอ",
        "กรมควบคุมโรค กระทรวงสาธารณสุข",
        "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด",
        "ข้อมูลสาธิต",
        "ข้อมูลถึง ปีงบประมาณ 2569 (30 ก.ย. 2569) · นำเข้าล่าสุด ",
    ):
        assert expected in text, expected
    # one language: neither the English name nor the catalog's id is shown on the Thai page
    assert "Road-traffic deaths" not in text and ROAD not in text
    assert "ผลรวม “จำนวนผู้เสียชีวิตจากอุบัติเหตุทางถนน" in text and "× 100,000" in text  # the aggregation rule
    thresholds = [
        [texts(td) for td in row.children]  # as read: a text cut into Thai words reads whole
        for row in find(by_id(layout, "kpi-thresholds"), lambda c: c.__class__.__name__ == "Tr")
    ][1:]
    assert thresholds == [
        ["1", "35.00 ต่อประชากรแสนคน"],
        ["2", "30.00 ต่อประชากรแสนคน"],
        ["3", "25.00 ต่อประชากรแสนคน"],
        ["4", "20.00 ต่อประชากรแสนคน"],
        ["5", "15.00 ต่อประชากรแสนคน"],
    ]


def test_kdp002_an_unscored_kpi_says_so_instead_of_thresholds(pages):
    text = texts(pages.kpi.layout(kpi_id="gpp", period="2569", lang="en"))
    assert "Monitored, not scored (no scoring thresholds)" in text and "Sum of the areas below" in text
    assert "Provincial Treasury Office" in text and "million THB" in text


def test_kdp003_series_of_the_area_in_the_url_has_thai_periods_target_and_status_colours(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, area="50", period="2569")
    figure = by_id(layout, "kpi-series").figure
    points, target = figure.data
    assert list(points.x)[-1] == "ปีงบประมาณ 2569" and all(x.startswith("ปีงบประมาณ 25") for x in points.x)
    assert set(target.y) == {25.0} and target.name == "ค่าเป้าหมาย"  # the word of the KPI table and the wall
    assert set(points.marker.color) <= {"#2e7d32", "#f2a900", "#c62828"}
    assert "ต่อประชากรแสนคน" in points.hovertext[-1]
    assert "ผลการดำเนินงานรายงวด" in texts(layout) and "เชียงใหม่" in texts(layout)


def test_kdp004_distribution_across_provinces_is_ranked_with_units(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, period="2569", all="1")  # every province ("Show all (77)")
    rows = table_rows(layout, "kpi-distribution-table")
    assert len(rows) == 77
    assert [r[0] for r in rows[:3]] == ["1", "2", "3"]
    values = [float(r[2].split()[0].replace(",", "")) for r in rows]
    assert values == sorted(values)  # lower is better: the lowest first
    assert all(r[2].endswith(" ต่อประชากรแสนคน") for r in rows)
    assert all(r[4] in ("ตามเป้าหมาย", "เฝ้าระวัง", "ต่ำกว่าเป้าหมาย") for r in rows)
    bars = by_id(layout, {"type": "area-map", "name": "kpi-bars"}).figure.data[0]
    names = [r[1] for r in rows]
    assert list(bars.y) == names  # the bars in the table's order
    # by default the first and last ten, bars and rows alike, the 57 between them one marker row
    folded = pages.kpi.layout(kpi_id=ROAD, period="2569")
    assert list(by_id(folded, {"type": "area-map", "name": "kpi-bars"}).figure.data[0].y) == (
        names[:10] + ["… อีก 57 พื้นที่ …"] + names[-10:]
    )
    assert table_rows(folded, "kpi-distribution-table") == rows[:10] + [["… อีก 57 พื้นที่ …"]] + rows[-10:]
    assert "การกระจายรายจังหวัด" in texts(layout)
    gpp = table_rows(pages.kpi.layout(kpi_id="gpp", period="2569"), "kpi-distribution-table")
    assert re.fullmatch(r"\d{1,3}(,\d{3})+ ล้านบาท", gpp[0][2])  # thousands separators


def test_kdp005_a_province_area_shows_its_districts_for_a_district_kpi(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, area="50", period="2569", lang="en", all="1")
    rows = table_rows(layout, "kpi-distribution-table")
    assert len(rows) == 25 and "Mueang Chiang Mai" in [r[1] for r in rows]
    assert "Across the districts · Chiang Mai" in texts(layout)
    assert 'href="/district/5001?lang=en&amp;period=2569"' in by_id(layout, "kpi-distribution-table").children
    assert by_id(layout, "language-toggle").href == f"/kpi/{ROAD}?lang=th&area=50&period=2569&all=1"


def test_kdp006_csv_download_is_the_table_shown_in_utf8_with_bom(pages):
    layout = pages.kpi.layout(kpi_id=ROAD, area="50", period="2569", all="1")  # every district shown
    shown = table_rows(layout, "kpi-distribution-table")
    state = by_id(layout, "kpi-table-state").data
    filename, rows, content = csv_rows(pages, state)
    assert content.startswith(b"\xef\xbb\xbf")
    assert filename == "อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน_เชียงใหม่_ปีงบประมาณ-2569.csv"  # in the page's language
    assert rows[0] == ["อันดับ", "รหัส", "พื้นที่", "ค่าล่าสุด", "หน่วย", "คะแนน", "สถานะ"]
    body = rows[1:]
    assert len(body) == len(shown) == 25
    for downloaded, row in zip(body, shown):
        rank, _code, area, value, unit, score, status = downloaded
        assert [rank, area, f"{float(value):,.2f} {unit}", score, status] == row
    assert "เมืองเชียงใหม่" in [r[2] for r in body]


def test_kdp007_national_csv_and_xlsx_have_the_same_rows(pages):
    state = {"kpi": ROAD, "area": "TH", "period": "2569", "lang": "en"}
    filename, rows, _ = csv_rows(pages, state)
    assert (
        filename == "Road-traffic-deaths-per-100,000-population_Thailand_FY-2026.csv"
        and rows[0][0] == "Rank"
        and len(rows) == 78
    )
    download = pages.downloads.download_xlsx(1, state)
    assert download["filename"] == "Road-traffic-deaths-per-100,000-population_Thailand_FY-2026.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    assert sheet.title == "Across the provinces"  # what it holds, not a KPI id cut at 31 characters
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["Rank", "Code", "Area", "Latest value", "Unit", "Score", "Status"]
    assert [(str(r[0]), r[2], f"{r[3]:.2f}") for r in cells[1:]] == [(r[0], r[2], r[3]) for r in rows[1:]]


@pytest.mark.parametrize("kpi_id", ["no_such_kpi", "ROAD"])
def test_kdp008_an_unknown_kpi_gets_a_clear_page(pages, kpi_id):
    text = texts(pages.kpi.layout(kpi_id=kpi_id))
    assert "ไม่พบตัวชี้วัดนี้" in text and f"“{kpi_id}”" in text and "กลับไปหน้าภาพรวมประเทศ" in text
    assert "Traceback" not in text


def test_kdp009_a_wrong_area_is_reported_and_the_country_shown(pages):
    text = texts(pages.kpi.layout(kpi_id=ROAD, area="zz", period="2569"))
    assert "ไม่เข้าใจค่า “zz” ของ area" in text and "ทั้งประเทศ" in text


# =========================================================================== /district/<code>


def test_kdp020_district_page_has_breadcrumb_kpis_with_units_and_the_province_only_note(pages, catalog):
    layout = pages.district.layout(code="5001", period="2569")
    text = texts(layout)
    crumbs = by_id(layout, "breadcrumb").items
    assert [c["label"] for c in crumbs] == ["ประเทศไทย", "กลุ่มจังหวัดภาคเหนือตอนบน 1", "เชียงใหม่", "เมืองเชียงใหม่"]
    assert [c.get("href") for c in crumbs[:3]] == [
        "/?lang=th&period=2569",
        "/cluster/1?lang=th&period=2569",
        "/province/50?lang=th&period=2569",
    ]
    assert "อำเภอเมืองเชียงใหม่" in text and "ข้อมูลสาธิต" in text and "ปีงบประมาณ 2569" in text
    rows = table_rows(layout, "kpi-table")
    finer = [k for k in catalog.kpis if k.finest_level in ("district", "subdistrict")]
    assert len(rows) == len(finer)  # no empty rows for KPIs published only by province
    road = next(
        r
        for r in rows
        if r[0].endswith("อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน")
        or "อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน" in r[0]
    )
    assert re.search(r"\d+\.\d{2} ต่อประชากรแสนคนปีงบประมาณ 2569", road[1])
    assert road[2] == "25.00 ต่อประชากรแสนคน"
    note = texts(by_id(layout, "province-only-note"))
    assert f"ตัวชี้วัดอีก {len(catalog.kpis) - len(finer)} ตัวเผยแพร่เฉพาะระดับจังหวัด" in note
    assert by_id(layout, "province-link").href == "/province/50?lang=th&period=2569"
    assert f'href="/kpi/{ROAD}?lang=th&amp;area=5001&amp;period=2569"' in by_id(layout, "kpi-table").children


def test_kdp021_subdistricts_as_sorted_bars_without_boundaries(pages):
    layout = pages.district.layout(code="5001", period="2569", kpi="tpmap_poor_per_1000")
    text = texts(layout)
    # bars, not a map: the panel is named for them
    assert "ค่ารายตำบล" in text and "แผนที่รายตำบล" not in text and "ยังไม่ได้นำเข้าขอบเขตตำบล" in text
    rows = table_rows(layout, "subdistrict-table")
    names = [r[0] for r in rows]
    assert "ศรีภูมิ" in names and "พระสิงห์" in names
    assert all(r[1].endswith("คน ต่อประชากร 1,000 คน") for r in rows)
    bars = by_id(layout, "subdistrict-map").figure.data[0]
    assert bars.type == "bar" and list(bars.y) == names  # sorted as the list


def test_kdp022_subdistricts_on_a_map_with_imported_boundaries(pages):
    layout = pages.district.layout(code="5002", period="2569", lang="en")
    figure = by_id(layout, "subdistrict-map").figure
    choropleths = [trace for trace in figure.data if trace.type == "choropleth"]
    assert choropleths and all(code.startswith("5002") for trace in choropleths for code in trace.locations)
    assert "No subdistrict boundaries" not in texts(layout)
    assert "Chom Thong district" in texts(layout)


def test_kdp023_english_and_links_keep_the_language(pages):
    layout = pages.district.layout(code="5001", period="2569", lang="en")
    text = texts(layout)
    assert "Mueang Chiang Mai district" in text and "KPIs published by district or subdistrict" in text
    assert "per 100,000 population" in text and "FY 2026" in text and "Demo data" in text
    assert "more KPIs are published only by province" in text
    assert by_id(layout, "language-toggle").href == "/district/5001?lang=th&period=2569"
    assert by_id(layout, "province-link").href == "/province/50?lang=en&period=2569"


def test_kdp024_a_district_without_subdistrict_data_says_so(pages):
    text = texts(pages.district.layout(code="5003", period="2569"))
    assert "ยังไม่มีข้อมูลรายตำบลของตัวชี้วัดนี้ในอำเภอนี้" in text


@pytest.mark.parametrize("code", ["9999", "50", "500101", "abc"])
def test_kdp025_an_unknown_or_non_district_code_gets_a_clear_page(pages, code):
    text = texts(pages.district.layout(code=code))
    assert "ไม่พบอำเภอนี้" in text and f"“{code}”" in text and "กลับไปหน้าภาพรวมประเทศ" in text


@pytest.mark.parametrize(
    "path, expected",
    [
        (f"/kpi/{ROAD}", ["อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน", "ดาวน์โหลด CSV"]),
        ("/kpi/nothing", ["ไม่พบตัวชี้วัดนี้"]),
        ("/district/5001", ["อำเภอเมืองเชียงใหม่", "ศรีภูมิ"]),
        ("/district/9999", ["ไม่พบอำเภอนี้"]),
    ],
)
def test_kdp030_pages_answer_over_http(store_url, path, expected):
    client = dash_app().server.test_client()
    assert client.get(path).status_code == 200
    page = router(client, path, "?period=2569")
    for text in expected:
        assert text in page
