"""The ESR's XLSX read as a person reads it (openpyxl, as a user's spreadsheet opens it): sheet
names that say what they hold and fit Excel's 31 characters, headers in the report's language
with no store field names, statuses, freshness, trends, goals and periods as words, values
rounded to each KPI's decimals with a matching number format, the unrounded numbers in one
sheet of their own, a frozen header row and readable column widths."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import openpyxl
import pytest

from data.query import clusters, scorecard
from data.rules.catalog import get_catalog
from data.rules.periods import Period
from data.store.engine import get_engine
from reports.content import EsrRequest, build_esr

PERIOD = Period.year(2569)
REPORTS = (("province", "50"), ("cluster", "1"), ("national", None))
LANGUAGES = ("th", "en")
# what the store calls things: none of it may be a header or a cell of the workbook
RAW_FIELDS = {
    "kpis_present",
    "kpis_scored",
    "area_code",
    "kpi_id",
    "fiscal_year",
    "period_type",
    "period_no",
    "gap_to_target",
    "coverage",
    "completeness",
    "missing",
    "goal",
    "score",
    "status",
    "value",
    "target",
    "trend",
    "freshness",
    "rank_cluster",
    "rank_country",
    "name_th",
    "name_en",
    "unit_th",
    "unit_en",
    "owner_th",
    "owner_en",
    "last_imported_at",
    "provinces_off_target",
    "decimals",
    "frequency",
}
RAW_CODES = {
    "on_target",
    "watch",
    "off_target",
    "no_data",
    "not_scored",
    "insufficient_data",
    "fresh",
    "due",
    "overdue",
    "missing",
    "improving",
    "worsening",
    "stable",
    "Y",
    "Q",
    "M",
    "ALL",
    "annual",
    "monthly",
    "quarterly",
    "higher_better",
    "lower_better",
}
THAI = re.compile(r"[\u0E00-\u0E7F]")
FIELD_LIKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")  # snake_case: a field name, not a word


@pytest.fixture(scope="module")
def xlsx_store(demo_store):
    """The engine of the module's demo store (the app's settings pointed at it)."""
    return get_engine()


@pytest.fixture(scope="module")
def books(xlsx_store):
    """(kind, language) -> (report, workbook as a user opens it), for the three reports in both languages."""
    from reports.xlsx import workbook

    out = {}
    for kind, code in REPORTS:
        for language in LANGUAGES:
            report = build_esr(xlsx_store, EsrRequest(kind, code, PERIOD, language))
            out[kind, language] = report, openpyxl.load_workbook(io.BytesIO(workbook(report)))
    return out


def header(sheet) -> list:
    return [c.value for c in sheet[1]]


def rows_by(sheet, column: str) -> dict:
    """Data rows keyed by the value in `column` (a header as written)."""
    names = header(sheet)
    return {row[names.index(column)].value: row for row in sheet.iter_rows(min_row=2) if row[names.index(column)].value}


def cell(row, sheet, column: str):
    return row[header(sheet).index(column)]


# =========================================================================== sheet names


def test_xlsx001_sheet_names_fit_excel_and_say_what_they_hold(books):
    from reports.xlsx import SHEET_KEYS, w

    for language in LANGUAGES:  # every name the module can give, in both languages
        names = [w(key, language) for key in SHEET_KEYS]
        assert len(set(names)) == len(names), names
        for name in names:
            assert 0 < len(name.encode("utf-16-le")) // 2 <= 31, name
            assert not set(name) & set("[]:*?/\\"), name
            assert bool(THAI.search(name)) == (language == "th"), name
    for (kind, language), (_report, book) in books.items():
        declared = {w(key, language) for key in SHEET_KEYS}
        assert len(set(book.sheetnames)) == len(book.sheetnames)
        assert set(book.sheetnames) <= declared, (kind, language, book.sheetnames)  # none cut, none invented
        assert book.sheetnames[0] == w("sheet_cover", language)
        assert w("sheet_kpis", language) in book.sheetnames and w("sheet_goals", language) in book.sheetnames
    th, en = books["province", "th"][1].sheetnames, books["province", "en"][1].sheetnames
    assert th[:3] == ["สรุป", "คะแนนรายเป้าหมาย", "ตัวชี้วัดต่ำกว่าเป้า"]
    assert en[:3] == ["Summary", "Goal scores", "Off-target KPIs"]
    assert "คะแนนตัวชี้วัดรายจังหวัด" in books["cluster", "th"][1].sheetnames
    assert "Cluster scores" in books["national", "en"][1].sheetnames


def test_xlsx002_a_name_that_does_not_fit_is_refused_not_cut():
    from reports.xlsx import _sheet_name

    used: set[str] = set()
    assert _sheet_name("ตัวชี้วัดทั้งหมด", used) == "ตัวชี้วัดทั้งหมด"
    assert _sheet_name("ตัวชี้วัดทั้งหมด", used) == "ตัวชี้วัดทั้งหมด 2"
    for bad in ("x" * 32, "a/b", "Annex A: all KPIs", " "):
        with pytest.raises(ValueError):
            _sheet_name(bad, set())


# =========================================================================== headers and cells


def test_xlsx003_headers_are_words_of_the_report_language(books):
    from reports.xlsx import w

    for (kind, language), (report, book) in books.items():
        frames = [report.card, report.goals, report.quality, report.members, report.clusters, report.comparison]
        fields = RAW_FIELDS | {str(c) for f in frames for c in f.columns}
        for sheet in book:
            for text in header(sheet):
                assert isinstance(text, str) and text.strip(), (kind, language, sheet.title, text)
                assert text not in fields and not FIELD_LIKE.match(text), (kind, language, sheet.title, text)
                if language == "th" and not text.startswith("G"):  # goal columns start with their code, G1…
                    assert THAI.search(text), (kind, sheet.title, text)
        kpis = book[w("sheet_kpis", language)]
        assert w("kpi_code", language) in header(kpis)
        assert ("ค่าล่าสุด" if language == "th" else "Latest value") in header(kpis)
        assert ("หน่วย" if language == "th" else "Unit") in header(kpis)  # mixed KPIs: the unit on each row
        goals = header(book[w("sheet_goals", language)])
        assert ("คะแนน (1–5)" if language == "th" else "Score (1–5)") in goals
        assert ("ความครอบคลุม (ร้อยละ)" if language == "th" else "Coverage (%)") in goals


def test_xlsx004_no_cell_is_a_code_of_the_store(books):
    for (kind, language), (_report, book) in books.items():
        for sheet in book:
            for row in sheet.iter_rows(min_row=2, values_only=True):
                for value in row:
                    assert value not in RAW_CODES, (kind, language, sheet.title, row)
                    if isinstance(value, str):
                        assert not re.fullmatch(r"\d{4}[YQM]\d*", value), (sheet.title, value)  # "2569Q4"


def test_xlsx005_statuses_goals_and_periods_read_as_words(books, xlsx_store):
    from reports.xlsx import w

    report, book = books["province", "th"]
    goals = book[w("sheet_goals", "th")]
    first = [r[0] for r in goals.iter_rows(min_row=2, values_only=True)]
    assert first[-1] == "ภาพรวม"
    assert first[0].startswith("G1 ") and "ความสามารถในการแข่งขัน" in first[0]
    kpis = book[w("sheet_kpis", "th")]
    statuses = {cell(r, kpis, "สถานะ").value for r in kpis.iter_rows(min_row=2)}
    assert statuses <= {"ตามเป้าหมาย", "เฝ้าระวัง", "ต่ำกว่าเป้าหมาย", "ไม่มีข้อมูล", "ติดตาม (ไม่คิดคะแนน)", "ข้อมูลไม่เพียงพอ"}, (
        statuses
    )
    assert {cell(r, kpis, "แนวโน้ม").value for r in kpis.iter_rows(min_row=2)} - {None} <= {"ดีขึ้น", "แย่ลง", "ทรงตัว"}
    assert {cell(r, kpis, "ความเป็นปัจจุบัน").value for r in kpis.iter_rows(min_row=2)} <= {
        "เป็นปัจจุบัน",
        "ถึงกำหนดปรับปรุง",
        "ล่าช้า",
        "ไม่มีข้อมูล",
    }
    periods = {cell(r, kpis, "งวดข้อมูล").value for r in kpis.iter_rows(min_row=2)} - {None}
    assert "ปีงบประมาณ 2569" in periods
    assert all(re.fullmatch(r"ปีงบประมาณ \d{4}|ไตรมาส [1-4]/\d{4}|\S+ \d{4}", p) for p in periods), periods
    rate = scorecard(xlsx_store, "50", PERIOD).set_index("kpi_id").loc["budget_disbursement_pct"]
    budget = book[w("sheet_budget", "th")]
    assert cell(rows_by(budget, "รหัสตัวชี้วัด")["budget_disbursement_pct"], budget, "งวดข้อมูล").value == (
        Period(rate["period_type"], int(rate["fiscal_year"]), int(rate["period_no"])).label("th")
    )  # "ไตรมาส 4/2569"
    english = books["province", "en"][1]
    goals_en = [r[0] for r in english[w("sheet_goals", "en")].iter_rows(min_row=2, values_only=True)]
    assert goals_en[-1] == "Overall" and goals_en[0].startswith("G1 Economic")


def test_xlsx006_every_status_code_has_a_word_insufficient_data_included(books):
    from layouts.text.format import STATUS
    from reports.xlsx import readable, workbook

    expected = STATUS["insufficient_data"].th if "insufficient_data" in STATUS else "ข้อมูลไม่เพียงพอ"
    assert readable("insufficient_data", "th") == expected
    english = STATUS["insufficient_data"].en if "insufficient_data" in STATUS else "Insufficient data"
    assert readable("insufficient_data", "en") == english
    for code in RAW_CODES | {"some_future_state"}:
        for language in LANGUAGES:
            word = readable(code, language)
            assert word and word != code, (code, language, word)
    assert readable("some_future_state", "en") == "Some future state"
    assert readable(None, "th") is None

    report, _book = books["province", "th"]  # a goal resting on too little of its weight, as the status rule will say
    report = replace(report, goals=report.goals.assign(status=["insufficient_data"] + list(report.goals["status"][1:])))
    book = openpyxl.load_workbook(io.BytesIO(workbook(report)))
    column = header(book["คะแนนรายเป้าหมาย"]).index("สถานะ")
    assert book["คะแนนรายเป้าหมาย"].cell(row=2, column=column + 1).value == expected


# =========================================================================== numbers


def test_xlsx007_values_are_rounded_to_the_kpi_decimals_and_stay_numbers(books, xlsx_store):
    from reports.xlsx import w

    report, book = books["cluster", "th"]
    code = clusters(xlsx_store).set_index("number").loc[1, "code"]
    card = scorecard(xlsx_store, code, PERIOD).set_index("kpi_id")
    catalog = get_catalog().by_id()
    kpis = book[w("sheet_kpis", "th")]
    rows = rows_by(kpis, "รหัสตัวชี้วัด")
    assert set(rows) == set(card.index)
    for kpi_id in ("road_deaths_per_100k", "crime_clearance_rate"):  # hand-picked: the store holds more decimals
        decimals, stored = catalog[kpi_id].decimals, float(card.loc[kpi_id, "value"])
        assert round(stored, decimals) != stored, f"{kpi_id}: pick a KPI whose stored value needs rounding"
        value = cell(rows[kpi_id], kpis, "ค่าล่าสุด")
        assert isinstance(value.value, (int, float)) and value.value == round(stored, decimals)
        assert value.number_format == "#,##0." + "0" * decimals
        score = cell(rows[kpi_id], kpis, "คะแนน (1–5)")
        assert score.value == round(float(card.loc[kpi_id, "score"]), 2) and score.number_format == "#,##0.00"
    assert cell(rows["gpp"], kpis, "ค่าล่าสุด").number_format == "#,##0"  # a KPI of whole numbers
    goals = book[w("sheet_goals", "th")]
    for row in goals.iter_rows(min_row=2):
        score, coverage = cell(row, goals, "คะแนน (1–5)"), cell(row, goals, "ความครอบคลุม (ร้อยละ)")
        if score.value is not None:
            assert score.value == round(score.value, 2) and score.number_format == "#,##0.00"
        assert isinstance(coverage.value, (int, float)) and 0 <= coverage.value <= 100  # a percentage, not 0–1
        assert coverage.value == round(coverage.value, 1)
    overall = report.goals.set_index("goal").loc["ALL"]
    last = list(goals.iter_rows(min_row=goals.max_row, values_only=True))[0]
    assert last[header(goals).index("ความครอบคลุม (ร้อยละ)")] == round(float(overall["coverage"]) * 100, 1)
    for sheet in book:  # no number written as text anywhere
        for row in sheet.iter_rows(min_row=2, values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not re.fullmatch(r"-?[\d,]+\.\d+", value), (sheet.title, value)


def test_xlsx008_full_precision_in_one_sheet_of_its_own(books, xlsx_store):
    from reports.xlsx import w

    _report, book = books["cluster", "en"]
    code = clusters(xlsx_store).set_index("number").loc[1, "code"]
    stored = float(scorecard(xlsx_store, code, PERIOD).set_index("kpi_id").loc["road_deaths_per_100k", "value"])
    precise = book[w("sheet_precision", "en")]
    assert precise.title == "Full precision"
    assert cell(rows_by(precise, "KPI code")["road_deaths_per_100k"], precise, "Latest value").value == pytest.approx(
        stored, rel=1e-12
    )


# =========================================================================== layout


def test_xlsx009_frozen_header_readable_widths(books):
    for (kind, language), (_report, book) in books.items():
        for sheet in book:
            assert sheet.freeze_panes == "A2", (kind, language, sheet.title)
            assert all(c.font.bold for c in sheet[1])
            for index in range(1, sheet.max_column + 1):
                width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
                assert 8 <= width <= 62, (sheet.title, index, width)
        kpis = book["ตัวชี้วัดทั้งหมด" if language == "th" else "All KPIs"]
        names = header(kpis).index("ตัวชี้วัด" if language == "th" else "KPI") + 1
        assert kpis.column_dimensions[openpyxl.utils.get_column_letter(names)].width >= 30  # names are long


def test_xlsx010_text_from_people_stays_text(xlsx_store):
    from reports.xlsx import workbook

    note = '=HYPERLINK("http://example.invalid","click")\x07'
    report = build_esr(xlsx_store, EsrRequest("province", "50", PERIOD, "en", note=note))
    book = openpyxl.load_workbook(io.BytesIO(workbook(report)))
    cover = book["Summary"]
    cells = {r[0]: c for r, c in zip(cover.iter_rows(values_only=True), cover["B"])}
    written = cells["For the executive's decision"]
    assert written.data_type == "s" and written.value == note.rstrip("\x07")


def test_xlsx011_a_store_without_values_gives_a_readable_workbook(tmp_path, catalog, xlsx_store):
    from data.store.engine import make_engine
    from reports.xlsx import workbook
    from stores import initialise

    engine = initialise(make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}"), catalog)
    try:
        for kind, code in REPORTS:
            for language in LANGUAGES:
                book = openpyxl.load_workbook(
                    io.BytesIO(workbook(build_esr(engine, EsrRequest(kind, code, None, language))))
                )
                assert book.sheetnames[0] == ("สรุป" if language == "th" else "Summary")
                for sheet in book:
                    assert all(isinstance(h, str) and not FIELD_LIKE.match(h) for h in header(sheet)), sheet.title
                    for row in sheet.iter_rows(min_row=2, values_only=True):
                        assert not set(row) & RAW_CODES, (kind, language, sheet.title, row)
    finally:
        engine.dispose()
