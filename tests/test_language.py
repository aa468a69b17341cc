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


@pytest.mark.parametrize("name", ["bangkok", "khet"])
def test_lng031_bangkok_pages_say_khet_and_khwaeng(app, name):
    """/province/10 and /district/1001 in Thai: every heading, panel, note and hint names Bangkok's
    districts เขต and subdistricts แขวง; in English they are districts."""
    text = render(name, "th", period="2569")
    assert "เขต" in text
    wrong = [line for line in text.splitlines() if "อำเภอ" in line or "ตำบล" in line]
    assert not wrong, wrong[:5]
    english = render(name, "en", period="2569")
    assert "istrict" in english and "khet" not in english.lower()


def test_lng032_bangkok_page_headings_and_panels(app):
    khet = render("khet", "th", period="2569").splitlines()
    assert "เขตพระนคร" in khet and "รายงานผลการดำเนินงานเขต" in khet
    assert "ตัวชี้วัดที่เผยแพร่ระดับเขตหรือแขวง" in khet
    bangkok = render("bangkok", "th", period="2569").splitlines()
    assert "ค่ารายเขต" in bangkok and "คลิกเขตเพื่อดูรายละเอียด" in bangkok  # bars: no boundaries imported
    chiang_mai = render("province", "th", period="2569").splitlines()
    assert "ค่ารายอำเภอ" in chiang_mai and "คลิกอำเภอเพื่อดูรายละเอียด" in chiang_mai
    assert "แผนที่รายอำเภอ" not in chiang_mai  # no map is drawn: the panel is not called one
    assert "Districts compared" in render("province", "en", period="2569").splitlines()


def test_lng033_the_bangkok_wall_and_esr_say_khet(app):
    from data.query import get_engine
    from data.rules.periods import Period
    from reports.content import EsrRequest, build_esr
    from reports.sections import report_body

    client = app.server.test_client()
    slides = client.get("/wall/data?province=10&slides=hotspots").get_json()["slides"]
    assert [s["title"] for s in slides] == ["เขตที่ต้องเร่งรัด"]
    slides = client.get("/wall/data?province=50&slides=hotspots").get_json()["slides"]
    assert [s["title"] for s in slides] == ["อำเภอที่ต้องเร่งรัด"]
    body, _figures = report_body(build_esr(get_engine(), EsrRequest("province", "10", Period.year(2569), "th")))
    assert "ค่ารายเขต: " in body and "อำเภอ" not in body and "ตำบล" not in body


def test_lng040_every_kpi_of_the_demo_store_has_periods_of_its_catalog_frequency(app):
    """The catalog and the data agree: the periods a KPI's values cover are those its frequency
    names (quarters for the quarterly budget KPIs, months for monthly ones, years for annual)."""
    from sqlalchemy import distinct, select

    from data.query import get_engine
    from data.rules.catalog import get_catalog
    from data.store.schema import KpiValue

    with get_engine().connect() as connection:
        stored = connection.execute(select(distinct(KpiValue.kpi_id), KpiValue.period_type)).all()
    period_of = {"monthly": {"M"}, "quarterly": {"Q"}, "annual": {"Y"}, "biennial": {"Y"}}
    kpis = get_catalog().by_id()
    types: dict[str, set[str]] = {}
    for kpi_id, period_type in stored:
        types.setdefault(kpi_id, set()).add(period_type)
    assert set(types) == set(kpis)  # the demo fills every KPI
    wrong = {
        k: (kpis[k].frequency.value, sorted(t)) for k, t in types.items() if t != period_of[kpis[k].frequency.value]
    }
    assert not wrong


def test_lng041_the_data_page_shows_the_budget_as_quarterly_with_a_quarter(app):
    from data.rules.catalog import get_catalog

    lines = render("data", "th", period="2569").splitlines()
    name = get_catalog().by_id()["budget_disbursement_vs_target"].name.th
    row = lines[lines.index(name) :][:12]
    assert "รายไตรมาส" in row and "รายสัปดาห์" not in row
    assert any(line.startswith("ไตรมาส ") for line in row), row


def page_lines(answer: str) -> list[str]:
    """The texts of a routed page (Dash's JSON) one a line, as a user reads them: a text cut into
    word spans (layouts.text.thai_breaks) read whole, and every option of a selector."""
    import json

    lines: list[str] = []

    def whole(node) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, list):
            return "".join(whole(n) for n in node)
        return whole(node.get("props", {}).get("children") or "") if isinstance(node, dict) else ""

    def walk(node) -> None:
        if isinstance(node, str):
            lines.append(node)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            props = node.get("props", node)
            if "th-words" in str(props.get("className") or "").split():
                lines.append(whole(props.get("children")))
                return
            for option in props.get("options") or []:
                if isinstance(option, dict):
                    lines.append(str(option.get("label", "")))
            for key in ("children", "response", "_pages_content"):
                if key in props:
                    walk(props[key])

    walk(json.loads(answer))
    return lines


def test_lng050_the_overview_counts_what_a_scoped_viewer_is_shown(app):
    """An account holding province 50 only sees one cluster, one province and its 25 districts:
    the heading and the level selector count those, not 18, 77 and 928."""
    import test_auth

    from data.query import get_engine
    from helpers import ensure_account, router

    ensure_account(get_engine(), "cm_viewer_language", "viewer", ["50"])
    page = page_lines(router(test_auth.signed_in("cm_viewer_language"), "/", "?period=2569"))
    assert "กลุ่มจังหวัด 1 กลุ่ม" in page and "1 จังหวัด" in page and "25 อำเภอ" in page
    for hard_coded in ("กลุ่มจังหวัด 18 กลุ่ม", "77 จังหวัด", "928 อำเภอ"):
        assert not [line for line in page if hard_coded in line], hard_coded
    everything = page_lines(router(app.server.test_client(), "/", "?period=2569"))  # the harness's admin of TH
    assert "กลุ่มจังหวัด 18 กลุ่ม" in everything and "77 จังหวัด" in everything and "928 อำเภอ" in everything
    english = page_lines(router(test_auth.signed_in("cm_viewer_language"), "/", "?period=2569&lang=en"))
    assert "The provincial cluster" in english and "1 province" in english and "25 districts" in english


def test_lng051_the_national_esr_counts_its_provinces_and_clusters(app):
    from data.query import get_engine
    from data.rules.periods import Period
    from reports.content import EsrRequest, build_esr
    from reports.sections import report_body

    report = build_esr(get_engine(), EsrRequest("national", None, Period.year(2569), "th"))
    assert report.subtitle == "77 จังหวัด 18 กลุ่มจังหวัด"
    body, _figures = report_body(report)
    assert "คะแนนรวมของ 18 กลุ่มจังหวัด" in body
    english = build_esr(get_engine(), EsrRequest("national", None, Period.year(2569), "en"))
    assert english.subtitle == "77 provinces in 18 clusters"


def test_lng060_file_names_are_safe_for_file_systems():
    from layouts.text.format import file_name

    assert file_name("ไตรมาส 4/2569") == "ไตรมาส-4-2569"  # Thai vowels and tone marks kept whole
    name = file_name('a/b\\c:d*e?f"g<h>i|j\x00k\u200bl\nm', "..", "FY 2026")
    assert name == "a-b-c-d-e-f-g-h-i-jkl-m_FY-2026"
    assert not re.search(r'[\\/:*?"<>|\s\x00-\x1f]', name)
    assert len(file_name("ก" * 500)) == 80 and file_name("", "/") == "download"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("th", ["รายงานสรุปผู้บริหาร_เชียงใหม่_ปีงบประมาณ-2569", "รายงานสรุปผู้บริหาร_ประเทศไทย_ณ-21-พ.ย.-2569"]),
        ("en", ["ESR_Chiang-Mai_FY-2026", "ESR_Thailand_as-of-21-Nov-2026"]),
    ],
)
def test_lng061_report_file_names_are_in_the_reports_language(app, language, expected):
    import datetime as dt

    from data.query import get_engine
    from data.rules.periods import Period
    from reports.content import EsrRequest
    from reports.file_names import esr_file_name, snapshot_file_name

    day = dt.date(2026, 11, 21)
    names = [
        esr_file_name(get_engine(), EsrRequest("province", "50", Period.year(2569), language), today=day),
        esr_file_name(get_engine(), EsrRequest("national", None, None, language), today=day),
    ]
    assert names == expected
    snapshot = snapshot_file_name(get_engine(), "/kpi/road_deaths_per_100k?period=2569Q4", language, today=day)
    assert (
        snapshot
        == {
            "th": "ภาพหน้าจอ_อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน_ไตรมาส-4-2569",
            "en": "Snapshot_Road-traffic-deaths-per-100,000-population_Q4-FY2026",
        }[language]
    )
    assert "road_deaths" not in snapshot  # a KPI's name, never its id


@pytest.mark.parametrize("language", ["th", "en"])
def test_lng062_the_esr_workbook_writes_years_in_its_languages_calendar(app, language):
    import io

    import openpyxl

    from data.query import get_engine
    from data.rules.periods import Period
    from reports.content import EsrRequest, build_esr
    from reports.xlsx import workbook

    book = openpyxl.load_workbook(
        io.BytesIO(workbook(build_esr(get_engine(), EsrRequest("province", "50", Period.quarter(2569, 4), language))))
    )
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    text = "\n".join(cells)
    wrong = (CE_YEAR if language == "th" else BE_YEAR).findall(text)
    right = (BE_YEAR if language == "th" else CE_YEAR).findall(text)
    assert right and not wrong, wrong[:5]
    if language == "en":
        assert not [c for c in cells if THAI.search(c)][:5]


def test_lng034_the_kpi_page_lists_bangkoks_khet(app):
    from pages import kpi

    bangkok = texts(kpi.layout(kpi_id="road_deaths_per_100k", area="10", period="2569", lang="th"))
    assert "การกระจายรายเขต · กรุงเทพมหานคร" in bangkok and "การกระจายรายอำเภอ" not in bangkok
    chiang_mai = texts(kpi.layout(kpi_id="road_deaths_per_100k", area="50", period="2569", lang="th"))
    assert "การกระจายรายอำเภอ · เชียงใหม่" in chiang_mai


def wall_texts(payload) -> str:
    """What a wall screen shows of its JSON: the slides' titles and markup as text, the figures'
    axis labels, category labels and texts, the as-of line."""
    from html import unescape

    found: list[str] = [str(payload.get("as_of") or "")]
    for slide in payload["slides"]:
        found.append(slide["title"])
        found.extend(unescape(p) for p in re.split(r"<[^>]+>", slide["html"]) if p.strip())

        def walk(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("text", "x", "y", "ticktext", "title", "name", "hovertext") and isinstance(value, str):
                        found.append(value)
                    elif key in ("text", "x", "y", "ticktext", "hovertext") and isinstance(value, list):
                        found.extend(str(v) for v in value if isinstance(v, str))
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(slide.get("figures"))
    return "\n".join(found)


@pytest.mark.parametrize("query", ["province=50", "province=10", "cluster=1", ""])
def test_lng063_the_wall_writes_years_in_its_languages_calendar(app, query):
    client = app.server.test_client()
    thai = wall_texts(client.get(f"/wall/data?{query}&lang=th").get_json())
    english = wall_texts(client.get(f"/wall/data?{query}&lang=en").get_json())
    assert BE_YEAR.search(thai) and not CE_YEAR.findall(thai), CE_YEAR.findall(thai)[:5]
    assert CE_YEAR.search(english) and not BE_YEAR.findall(english), BE_YEAR.findall(english)[:5]
    assert not [line for line in english.splitlines() if THAI.search(line)][:5]


@pytest.mark.parametrize("kind, code", [("province", "50"), ("province", "10"), ("cluster", "1"), ("national", None)])
def test_lng064_the_esr_writes_years_in_its_languages_calendar(app, kind, code):
    from html import unescape

    from data.query import get_engine
    from data.rules.periods import Period
    from reports.content import EsrRequest, build_esr
    from reports.sections import report_body

    for language in ("th", "en"):
        report = build_esr(get_engine(), EsrRequest(kind, code, Period.quarter(2569, 4), language))
        body, figures = report_body(report)
        body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
        words = [unescape(p).strip() for p in re.split(r"<[^>]+>", body) if p.strip()]
        words += [str(x) for f in figures for trace in f["figure"]["data"] for x in (trace.get("x") or [])]
        text = "\n".join(words + [report.period_label, report.quarter_label])
        if language == "th":
            assert BE_YEAR.search(text) and not CE_YEAR.findall(text), CE_YEAR.findall(text)[:5]
        else:
            assert CE_YEAR.search(text) and not BE_YEAR.findall(text), BE_YEAR.findall(text)[:5]
            assert not [w for w in words if THAI.search(w)][:5]


@pytest.mark.parametrize("language", ["th", "en"])
def test_lng065_no_kpi_id_on_the_wall_or_in_the_esr(app, language):
    from html import unescape

    from data.query import get_engine
    from data.rules.catalog import get_catalog
    from data.rules.periods import Period
    from reports.content import EsrRequest, build_esr
    from reports.sections import report_body

    ids = [kpi.id for kpi in get_catalog().kpis]
    client = app.server.test_client()
    shown = [wall_texts(client.get(f"/wall/data?{q}&lang={language}").get_json()) for q in ("province=50", "")]
    for kind, code in (("province", "50"), ("cluster", "1"), ("national", None)):
        body, _figures = report_body(build_esr(get_engine(), EsrRequest(kind, code, Period.year(2569), language)))
        body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
        shown.append("\n".join(unescape(p) for p in re.split(r"<[^>]+>", body) if p.strip()))
    text = "\n".join(shown)
    assert not [kpi_id for kpi_id in ids if re.search(rf"\b{re.escape(kpi_id)}\b", text)]


def test_lng066_the_audit_pages_times_follow_the_one_convention():
    import datetime as dt

    from web.admin_views import when

    moment = dt.datetime(2026, 12, 5, 10, 30, tzinfo=dt.timezone.utc)  # 17:30 in Thailand
    assert when(moment, "th") == "5 ธ.ค. 2569 17:30"
    assert when(moment, "en") == "5 Dec 2026 17:30"
    assert when("2026-12-05T10:30:00+00:00", "th") == "5 ธ.ค. 2569 17:30"  # as the audit log stores it


def test_lng052_a_bangkok_viewers_overview_counts_no_cluster(app):
    """Bangkok is in no cluster: an account holding it alone is shown no cluster, one province
    and its 50 เขต, and the page is drawn (it once failed on the empty list of clusters)."""
    import test_auth

    from data.query import get_engine
    from helpers import ensure_account, router

    ensure_account(get_engine(), "bkk_viewer_language", "viewer", ["10"])
    page = page_lines(router(test_auth.signed_in("bkk_viewer_language"), "/", "?period=2569"))
    assert "กลุ่มจังหวัด" in page and "1 จังหวัด" in page and "50 เขต" in page and "50 อำเภอ" not in page
    assert any("ไม่สังกัดกลุ่มจังหวัด" in line for line in page)  # Bangkok's card
    assert not [line for line in page if re.search(r"กลุ่มจังหวัด \d+ กลุ่ม", line)]


def test_lng090_a_tile_label_fits_its_tile_in_either_language_at_any_size():
    """The ESR's half-page map has tiles of about 20 px: three Latin capitals at the page's 12 px
    ran into the next tile ('NBPUDNSNK'). The label's size follows the tile; an English label is
    smaller than a Thai one of two letters."""
    from layouts.figures.maps import tile_label_size

    for width, height in ((342, 380), (342, 300), (1200, 620), (340, 620), (1920, 900)):
        tile = min(width / 10.5, height / 19)
        english, thai = tile_label_size(width, height, "en"), tile_label_size(width, height, "th")
        assert 7 <= english <= thai <= 12
        assert 3 * 0.62 * english <= tile or english == 7  # three capitals (Sarabun ~0.62 em each) in the tile
    assert tile_label_size(None, 620, "en") == 12  # a page's map, as wide as its card
    assert tile_label_size(342, 380, "en") <= 8


def test_lng091_the_english_esr_map_draws_its_labels_at_the_tile_size(demo_store):
    from data.rules.periods import Period
    from data.store.engine import get_engine
    from reports.comparisons import province_map
    from reports.content import EsrRequest, build_esr

    report = build_esr(get_engine(), EsrRequest("national", "TH", Period.year(2569), "en"))
    captured = {}

    class Figures:
        def chart(self, chart, **size):
            captured["figure"], captured["size"] = chart.figure, size
            return ""

    province_map(report, Figures(), 380)
    labels = [trace for trace in captured["figure"].data if trace.type == "scattergeo"]
    assert labels and all(re.fullmatch(r"[A-Z]{3}", text) for text in labels[0].text)
    assert labels[0].textfont.size <= 8


def test_lng092_bangkok_in_no_cluster_ranks_its_kpis_in_the_country(app):
    """Bangkok belongs to no cluster: its KPI table's rank column is the rank in the country (a
    column of '–' under 'rank in cluster' said nothing), Chiang Mai's stays the rank in its cluster."""
    bangkok = render("bangkok", "th", period="2569").splitlines()
    assert "อันดับในประเทศ" in bangkok and "อันดับในกลุ่ม" not in bangkok
    assert any(re.fullmatch(r"\d{1,2}/77", line) for line in bangkok)
    chiang_mai = render("province", "th", period="2569").splitlines()
    assert "อันดับในกลุ่ม" in chiang_mai
    assert any(re.fullmatch(r"\d/4", line) for line in chiang_mai)
