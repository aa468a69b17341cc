"""The ESR in the browser: one click on the province page downloads the report named after
scope and period; with no browser to print it, the page says so and keeps working."""

from __future__ import annotations

import subprocess

from browser_support import TIMEOUT_MS
from settings import get_settings


def downloaded_pdf_text(page, button: str, folder) -> tuple[str, str]:
    """Click `button`, save the PDF it downloads, and return its file name and its text (pdftotext)."""
    with page.expect_download() as download:
        page.locator(button).click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return download.value.suggested_filename, subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_brw010_one_click_downloads_the_province_esr(live_server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS * 2)
    page.goto(f"{live_server}/province/50?period=2569")
    page.wait_for_selector("#scorecard")
    name, text = downloaded_pdf_text(page, "#esr-pdf", tmp_path)
    assert name == "รายงานสรุปผู้บริหาร_เชียงใหม่_ปีงบประมาณ-2569.pdf"  # in the reader's language
    assert "จังหวัดเชียงใหม่" in text and "ปีงบประมาณ 2569" in text
    page.close()


def test_brw011_without_a_browser_the_page_explains_and_keeps_working(live_server, browser, tmp_path, monkeypatch):
    monkeypatch.setenv("POC_CHROMIUM", str(tmp_path / "no-chromium"))
    get_settings.cache_clear()
    try:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{live_server}/province/50?period=2569")
        page.wait_for_selector("#scorecard")
        page.locator("#esr-pdf").click()
        message = page.wait_for_selector("#esr-error").inner_text()
        assert "Chromium" in message and "no-chromium" in message and "XLSX" in message
        with page.expect_download() as download:  # the data still comes
            page.locator("#esr-xlsx").click()
        assert download.value.suggested_filename == "รายงานสรุปผู้บริหาร_เชียงใหม่_ปีงบประมาณ-2569.xlsx"
        page.locator("#sort-worst").click()  # and the dashboard still works
        page.wait_for_url("**/province/50?lang=th&period=2569&sort=worst")
        page.close()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_brw012_snapshot_prints_the_page_with_its_filters(live_server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS * 2)
    page.goto(f"{live_server}/province/50?period=2569&sort=worst")
    page.wait_for_selector("#scorecard")
    name, text = downloaded_pdf_text(page, "#esr-snapshot", tmp_path)
    assert name == "ภาพหน้าจอ_เชียงใหม่_ปีงบประมาณ-2569.pdf"
    assert "ตัวกรองที่ใช้" in text and "ปีงบประมาณ 2569" in text and "แย่สุดก่อน" in text
    assert "จังหวัดเชียงใหม่" in text  # the page itself, as on screen
    page.close()
