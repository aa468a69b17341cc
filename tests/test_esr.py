"""The Executive Summary Reports: generated from a demo store and read back the way a user
reads them, with poppler (pdftotext, pdffonts) — the names, periods and values the store
holds, Thai text intact, Sarabun embedded, the KPI table's header on every page and no row
split across pages; the XLSX; and a clear message when no browser can be started."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest

from data.query import clusters, goal_summary, scorecard
from data.rules.periods import Period
from data.store.engine import get_engine
from helpers import CHROMIUM, reading_store, reset_caches
from layouts.text.format import format_score
from layouts.text.i18n import format_value
from reports.content import EsrRequest, build_esr
from reports.render import BrowserUnavailable, PdfJob, PdfRenderer, close_renderer

PERIOD = Period.year(2569)
TRICKY = "ปี่ ปี้ ปู่ กิ๊ จ่ำ ผู้ใหญ่บ้าน ปราชญ์ชาวบ้าน"

needs_pdf = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) or not shutil.which("pdftotext"), reason="needs Chromium and poppler-utils"
)


@pytest.fixture(scope="module")
def esr_store(demo_url):
    """The engine of the module's demo store, the app's settings pointed at it and at Chromium."""
    with reading_store(demo_url, POC_CHROMIUM=CHROMIUM):
        yield get_engine()
        close_renderer()


@pytest.fixture(scope="module")
def province_pdf(esr_store, tmp_path_factory):
    from reports.export import esr_pdf

    path = tmp_path_factory.mktemp("pdf") / "esr_province_50.pdf"
    path.write_bytes(esr_pdf(esr_store, EsrRequest("province", "50", PERIOD, "th", note=TRICKY)))
    return path


def pdftotext(path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pages_of(path) -> list[str]:
    """The text of each page (pdftotext -f N -l N), in content order."""
    count = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        ).group(1)
    )
    return [pdftotext(path, "-raw", "-f", str(n), "-l", str(n)) for n in range(1, count + 1)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def shown(row: dict) -> str:
    """A KPI value as the report writes it: the store's value with its decimals and unit."""
    return format_value(float(row["value"]), int(row["decimals"]), row["unit_th"])


# =========================================================================== no browser needed


def test_esr001_file_names_say_scope_and_period():
    assert EsrRequest("province", "50", PERIOD).file_stem() == "esr_province_50_2569"
    assert EsrRequest("cluster", "3", Period.quarter(2569, 4)).file_stem() == "esr_cluster_3_2569Q4"
    assert EsrRequest("national", None, PERIOD).file_stem() == "esr_national_2569"


def test_esr002_content_and_narrative_come_from_the_query_layer(esr_store):
    from reports.narrative import summary

    report = build_esr(esr_store, EsrRequest("province", "50", PERIOD, "th"))
    card = scorecard(esr_store, "50", PERIOD)
    off = card[card["status"] == "off_target"]
    assert set(report.exceptions["kpi_id"]) == set(off["kpi_id"])
    assert list(report.exceptions["score"]) == sorted(report.exceptions["score"])  # worst first
    assert report.quarter_label == "ไตรมาส 4/2569" and report.period_label == "ปีงบประมาณ 2569"
    overall = goal_summary(esr_store, "50", PERIOD).set_index("goal").loc["ALL", "score"]
    sentences = summary(report)
    assert f"มีคะแนนรวม 6 เป้าหมาย {format_score(overall)}" in sentences[0]
    assert f"{len(off)} จาก {int(card['score'].notna().sum())} ตัว" in " ".join(sentences)
    english = summary(build_esr(esr_store, EsrRequest("province", "50", PERIOD, "en")))
    assert english[0].startswith(f"Chiang Mai province scores {format_score(overall)} overall")
    rate = card.set_index("kpi_id").loc["budget_disbursement_pct"]
    assert report.budget["budget_disbursement_pct"]["value"] == rate["value"]


def test_esr003_xlsx_holds_the_report_data(esr_store):
    import openpyxl

    from reports.export import esr_xlsx

    book = openpyxl.load_workbook(io.BytesIO(esr_xlsx(esr_store, EsrRequest("province", "50", PERIOD, "th"))))
    assert book.sheetnames[0] == "สรุป"
    sheet = book["ตัวชี้วัดทั้งหมด"]  # more on the workbook in test_esr_xlsx.py
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("รหัสตัวชี้วัด")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    card = scorecard(esr_store, "50", PERIOD).set_index("kpi_id")
    assert len(rows) == len(card)
    road = card.loc["road_deaths_per_100k"]
    assert rows["road_deaths_per_100k"][header.index("ค่าล่าสุด")] == round(road["value"], int(road["decimals"]))


def test_esr004_a_missing_browser_is_a_clear_error(esr_store, tmp_path):
    from reports.export import esr_pdf

    bad = tmp_path / "no-chromium"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POC_CHROMIUM", str(bad))
        reset_caches()
        with pytest.raises(BrowserUnavailable, match=r"Chromium.*no-chromium.*apt-get install chromium"):
            esr_pdf(get_engine(), EsrRequest("province", "50", PERIOD, "th"))
    reset_caches()


def test_esr005_cli_names_the_problem(esr_store, tmp_path):
    from click.testing import CliRunner

    from cli.main import poc

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POC_CHROMIUM", str(tmp_path / "nothing-here"))
        reset_caches()
        result = CliRunner().invoke(poc, ["esr", "--province", "50", "--period", "2569", "-o", str(tmp_path / "x.pdf")])
    reset_caches()
    assert result.exit_code == 1 and "nothing-here" in result.output
    assert not (tmp_path / "x.pdf").exists()
    unknown = CliRunner().invoke(poc, ["esr", "--province", "99", "-o", str(tmp_path / "y.xlsx")])
    assert unknown.exit_code == 1 and "no such province" in unknown.output


# =========================================================================== PDFs


@needs_pdf
def test_esr010_province_pdf_shows_name_period_and_the_stores_values(esr_store, province_pdf):
    text = pdftotext(province_pdf)
    assert "จังหวัดเชียงใหม่" in text and "ปีงบประมาณ 2569" in text and "ไตรมาส 4/2569" in text
    assert "30 ก.ย. 2569" in text  # data as of, Buddhist Era
    card = scorecard(esr_store, "50", PERIOD)
    rows = card[card["value"].notna()].set_index("kpi_id")
    in_order = pdftotext(province_pdf, "-raw")  # a cell's lines in the order printed (a unit may sit under its number)
    for kpi_id in ("road_deaths_per_100k", "budget_disbursement_pct", "ita_score"):
        assert squeeze(shown(rows.loc[kpi_id].to_dict())) in squeeze(in_order), kpi_id
    assert TRICKY in text  # tone marks and vowels intact


@needs_pdf
def test_esr011_fonts_are_embedded_and_sarabun_is_among_them(province_pdf):
    report = subprocess.run(["pdffonts", str(province_pdf)], capture_output=True, text=True, check=True).stdout
    fonts = [line.split() for line in report.splitlines()[2:] if line.strip()]
    assert any("Sarabun" in f[0] for f in fonts)
    assert all(f[-5] == "yes" for f in fonts), report  # columns from the right: emb sub uni object ID


@needs_pdf
def test_esr012_kpi_table_repeats_its_header_and_splits_no_row(esr_store, province_pdf):
    pages = pages_of(province_pdf)
    first = next(i for i, p in enumerate(pages) if "ภาคผนวก ก ตัวชี้วัดทั้งหมด" in p)
    last = next(i for i, p in enumerate(pages) if "ภาคผนวก ข" in p)
    annex = pages[first:last]
    assert len(annex) >= 2, "the KPI table should run over several pages"
    for page in annex:
        lines = page.splitlines()
        assert any(line.startswith("ตัวชี้วัด ค่าล่าสุด ค่าเป้าหมาย คะแนน") for line in lines), page[:300]
    card = scorecard(esr_store, "50", PERIOD)
    for row in card.to_dict("records"):
        cell = squeeze(row["name_th"] + row["owner_th"])  # the KPI's first cell: name, then owner below it
        holding = [i for i, page in enumerate(annex) if cell in squeeze(page)]
        assert len(holding) == 1, f"{row['kpi_id']} is split or missing: pages {holding}"


@needs_pdf
def test_esr013_cluster_and_national_reports(esr_store, tmp_path):
    from reports.export import esr_pdf

    cluster = clusters(esr_store).set_index("number").loc[1]
    path = tmp_path / "cluster.pdf"
    path.write_bytes(esr_pdf(esr_store, EsrRequest("cluster", "1", PERIOD, "th")))
    text = pdftotext(path)
    assert cluster["name_th"] in text and "ปีงบประมาณ 2569" in text
    for name in ("เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"):
        assert name in text
    path = tmp_path / "national.pdf"
    path.write_bytes(esr_pdf(esr_store, EsrRequest("national", None, PERIOD, "en")))
    text = pdftotext(path)
    assert "National roll-up" in text and "FY 2026" in text and "Upper North 1" in text
    assert "Summary for the executive" in text and "scores" in text


@needs_pdf
def test_esr014_the_browser_stays_warm_and_is_restarted_when_it_died(tmp_path):
    renderer = PdfRenderer(CHROMIUM, 60)
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='th'><body><p>ผู้ใหญ่บ้าน</p><script>window.ESR_READY = true</script></body></html>", encoding="utf-8"
    )
    try:
        for _ in range(2):
            assert renderer.pdf(PdfJob(url=page.as_uri())).startswith(b"%PDF")
        assert renderer.launches == 1
        with pytest.raises(Exception):  # noqa: B017  (whatever Playwright raises for a browser closed under it)
            renderer.pdf(PdfJob(url=page.as_uri(), prepare=lambda p: p.context.browser.close()))
        assert renderer.pdf(PdfJob(url=page.as_uri())).startswith(b"%PDF")
        assert renderer.launches == 2
    finally:
        renderer.close()
