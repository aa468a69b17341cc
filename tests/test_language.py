"""One language per view, and names from the domain (issue 19, parts 2 and 7).

Every page is rendered from the module's small demo store (stores.build_demo_store: as of
21 Nov 2026, every province and the districts of Chiang Mai and Bangkok) in Thai and in English,
and what a user reads is checked: a Thai view writes years in the Buddhist Era and never a Common
Era date, an English view the Common Era and never a Buddhist Era year; no catalog id is shown as a
label; the import log, Bangkok's districts (เขต/แขวง) and the counts a scoped viewer is shown are
in the words of the domain.
"""

from __future__ import annotations

import importlib
import re

import pytest

from helpers import dash_app, texts

PAGES = {
    "overview": ("overview", {}),
    "province": ("province", {"code": "50"}),
    "bangkok": ("province", {"code": "10"}),
    "district": ("district", {"code": "5001"}),
    "khet": ("district", {"code": "1001"}),
    "cluster": ("cluster", {"number": "1"}),
    "kpi": ("kpi", {"kpi_id": "road_deaths_per_100k"}),
    "data": ("data", {}),
}
# a Common Era year (19xx, 20xx) or an ISO date, standing alone (not inside a number like 2,034 or 20.5)
CE_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,]|\.\d)|\d{4}-\d\d-\d\d")
# a Buddhist Era year (24xx, 25xx), standing alone
BE_YEAR = re.compile(r"(?<![\d,.])2[45]\d\d(?![\d,]|\.\d)")
THAI = re.compile(r"[\u0e00-\u0e7f]")


@pytest.fixture(scope="module")
def app(demo_store):
    return dash_app()


def render(name: str, language: str, **extra) -> str:
    module, arguments = PAGES[name]
    page = importlib.import_module(f"pages.{module}")
    return texts(page.layout(lang=language, **arguments, **extra))


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("period", ["2569", "2569Q4", None])
def test_lng001_thai_views_write_buddhist_era_years_only(app, name, period):
    text = render(name, "th", **({"period": period} if period else {}))
    assert BE_YEAR.search(text), f"{name}: no Buddhist Era year at all"
    found = CE_YEAR.findall(text)
    assert not found, f"{name}: Common Era years or dates in the Thai view: {found[:5]}"


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("period", ["2569", "2569Q4", None])
def test_lng002_english_views_write_common_era_years_only(app, name, period):
    text = render(name, "en", **({"period": period} if period else {}))
    assert "2026" in text or "2025" in text, f"{name}: no Common Era year at all"
    found = BE_YEAR.findall(text)
    assert not found, f"{name}: Buddhist Era years in the English view: {found[:5]}"
    # the language toggle names the other language in that language (ภาษาไทย), as toggles do
    thai = [line for line in text.splitlines() if THAI.search(line) and line != "ภาษาไทย"]
    assert not thai, f"{name}: Thai in the English view: {thai[:5]}"


def test_lng003_english_labels_of_a_thai_fiscal_year_are_common_era():
    from data.rules.periods import Period

    assert Period.year(2569).label("en") == "FY 2026" and Period.year(2569).label("th") == "ปีงบประมาณ 2569"
    assert Period.quarter(2570, 1).label("en") == "Q1 FY2027" and Period.quarter(2570, 1).label("th") == "ไตรมาส 1/2570"
    assert Period.month(2569, 1).label("en") == "Oct 2025" and Period.month(2569, 1).label("th") == "ต.ค. 2568"


def test_lng010_the_import_log_is_in_thai(app):
    lines = render("data", "th").splitlines()
    assert "สำเร็จ" in lines and "ข้อมูลสาธิต" in lines  # its status and kind
    for english in ("ok", "demo", "values", "failed", "boundaries"):
        assert english not in lines, english


def test_lng011_the_import_log_is_in_english(app):
    lines = render("data", "en").splitlines()
    assert "Done" in lines and "Demo data" in lines
    assert "ok" not in lines and "demo" not in lines


def test_lng012_a_demo_import_is_named_in_the_readers_words_and_calendar():
    from layouts.views.data_status import import_word, source_text

    label = "demo FY2566-2570 as of 2026-11-21"  # as data.store.demo logs it
    assert source_text("demo", label, "th") == "ข้อมูลสาธิต ปีงบประมาณ 2566–2570 ณ 21 พ.ย. 2569"
    assert source_text("demo", label, "en") == "Demo data FY 2023–2027 as of 21 Nov 2026"
    assert source_text("values", "ค่า 2569.xlsx", "en") == "ค่า 2569.xlsx"  # a file's own name stays
    assert [import_word("import_status", s, "th") for s in ("ok", "failed", "dry-run", "running")] == [
        "สำเร็จ",
        "ไม่สำเร็จ",
        "ตรวจสอบอย่างเดียว (ไม่บันทึก)",
        "กำลังนำเข้า",
    ]
    assert [import_word("import_kind", k, "en") for k in ("values", "boundaries", "demo")] == [
        "KPI values",
        "Boundaries",
        "Demo data",
    ]


def test_lng013_the_data_page_writes_its_dates_in_the_readers_calendar(app):
    thai, english = render("data", "th"), render("data", "en")
    assert re.search(r"\d{4}-\d\d-\d\d", thai + english) is None  # no ISO date
    assert re.search(r"บัญชีตัวชี้วัด ณ\n\d{1,2} \S+ 25\d\d\n", thai), thai
    assert re.search(r"KPI catalog as of\n\d{1,2} [A-Z][a-z]{2} 20\d\d\n", english), english


@pytest.mark.parametrize("language", ["th", "en"])
def test_lng014_no_kpi_id_is_shown_as_a_label(app, language):
    from data.rules.catalog import get_catalog

    ids = [kpi.id for kpi in get_catalog().kpis]
    for name in PAGES:
        text = render(name, language, period="2569")
        shown = [kpi_id for kpi_id in ids if re.search(rf"\b{re.escape(kpi_id)}\b", text)]
        assert not shown, f"{name} ({language}) shows KPI ids: {shown[:5]}"


def test_lng015_the_thai_kpi_page_names_the_kpi_in_thai_only(app):
    text = render("kpi", "th", period="2569")
    assert "อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน" in text
    assert "Road-traffic deaths" not in text


def figure_texts(layout) -> list[str]:
    """Every text drawn on the page's charts (trace texts), as plotly serialises them."""
    from helpers import find

    out: list[str] = []
    for graph in find(layout, lambda c: getattr(c, "figure", None) is not None):
        figure = graph.figure if isinstance(graph.figure, dict) else graph.figure.to_plotly_json()
        for trace in figure.get("data", []):
            text = trace.get("text")
            if text is not None:
                out.extend(str(x) for x in (text if isinstance(text, (list, tuple)) else list(text)))
    return out


@pytest.mark.parametrize("language, chiang_mai, bangkok", [("th", "ชม", "กทม"), ("en", "CMI", "BKK")])
def test_lng020_the_tile_map_labels_provinces_in_the_views_language(app, language, chiang_mai, bangkok):
    from pages import overview

    drawn = figure_texts(overview.layout(lang=language, period="2569"))
    assert chiang_mai in drawn and bangkok in drawn
    if language == "en":
        assert not [label for label in drawn if THAI.search(label)]
    else:
        assert "CMI" not in drawn and "BKK" not in drawn


@pytest.mark.parametrize("language, label", [("th", "ชม"), ("en", "CMI")])
def test_lng021_the_esr_map_labels_provinces_in_the_reports_language(app, language, label):
    from data.query import get_engine
    from data.rules.periods import Period
    from reports.content import EsrRequest, build_esr
    from reports.sections import report_body

    report = build_esr(get_engine(), EsrRequest("cluster", "1", Period.year(2569), language))
    _body, figures = report_body(report)
    drawn = [str(x) for f in figures for trace in f["figure"]["data"] for x in (trace.get("text") or [])]
    assert label in drawn
    if language == "en":
        assert not [text for text in drawn if THAI.search(text)]


def test_lng030_the_bangkok_rule_names_khet_and_khwaeng():
    from data.rules.areas import in_bangkok, local_terms
    from layouts.text.i18n import t_at

    assert [in_bangkok(c) for c in ("10", "1001", "100101", "50", "5001", "1", "TH", None)] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert local_terms("แผนที่รายอำเภอ", "10") == "แผนที่รายเขต"
    assert local_terms("ยังไม่มีข้อมูลรายตำบลของตัวชี้วัดนี้ในอำเภอนี้", "1001") == ("ยังไม่มีข้อมูลรายแขวงของตัวชี้วัดนี้ในเขตนี้")
    assert local_terms("แผนที่รายอำเภอ", "50") == "แผนที่รายอำเภอ"
    assert t_at("district_report", "th", "1001") == "รายงานผลการดำเนินงานเขต"
    assert t_at("district_report", "en", "1001") == "District report"
