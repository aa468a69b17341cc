"""The dashboard in headless Chromium on the stores demos never show: an empty store (right after
`poc init`), and a store that stops answering while a page is open, then comes back.

Every wait is for a condition a user would see, never a fixed time."""

from __future__ import annotations

import os
import sqlite3

import pytest

from browser_support import TIMEOUT_MS
from data.query import cache as cache_module
from data.store.engine import get_engine, make_engine
from helpers import dash_app, reading_store, served_app
from stores import cut, initialise, source, write_store

SHOTS = os.environ.get("POC_SCREENSHOTS")  # a folder: keep screenshots to look at


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, catalog):
    path = tmp_path_factory.mktemp("anystore") / "poc.sqlite"
    initialise(make_engine(f"sqlite:///{path}"), catalog).dispose()  # no values: as after `poc init`
    return path


@pytest.fixture(scope="module")
def live_server(store_path):
    """The app reading this module's store (not the demo store) with short store limits, served on
    127.0.0.1 at a free port in a thread: its URL."""
    with reading_store(f"sqlite:///{store_path}", POC_STORE_TIMEOUT="1", POC_STORE_RETRY="0") as patch:
        # every request asks the store for its version (else one within a second of the last answers
        # from the cache without asking, and a test could not tell that from a store that answered)
        patch.setattr(cache_module, "VERSION_CHECK_SECONDS", 0.0)
        with served_app(dash_app().server) as url:
            yield url


def watched_page(browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return page, errors


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/", "ภาพรวมระดับประเทศ"),
        ("/province/50", "จังหวัดเชียงใหม่"),
        ("/cluster/1", "ภาคเหนือตอนบน 1"),
        ("/district/5001", "อำเภอเมืองเชียงใหม่"),
        ("/kpi/road_deaths_per_100k", "อัตราการเสียชีวิตจากอุบัติเหตุทางถนน"),
        ("/data", "สถานะข้อมูล"),
    ],
)
def test_bas001_an_empty_store_shows_every_page_and_says_what_is_missing(live_server, browser, path, heading):
    page, errors = watched_page(browser)
    page.goto(f"{live_server}{path}")
    page.locator("h1").first.wait_for()
    assert heading in page.locator("h1").first.inner_text()
    body = page.locator("#_pages_content").inner_text()
    assert "Traceback" not in body and "Error" not in body
    if path in ("/", "/province/50", "/cluster/1"):
        assert "ยังไม่มีข้อมูลตัวชี้วัดในระบบ" in body  # the notice and the header say it in words
    if path != "/data":
        from playwright.sync_api import expect

        expect(page.locator("#select-period")).to_contain_text("ล่าสุด")  # nothing to choose but "latest"
        assert "ปีงบประมาณ" not in page.locator("#select-period").inner_text()
    if path in ("/", "/province/50", "/cluster/1", "/kpi/road_deaths_per_100k"):  # its figures are drawn, not blank
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        page.wait_for_load_state("networkidle")
    shot(page, "empty" + path.replace("/", "_"))
    assert not [e for e in errors if "favicon" not in e], errors
    page.close()


@pytest.mark.parametrize(
    "kind, code, language, words",
    [
        ("province", "50", "th", ["จังหวัดเชียงใหม่", "ยังไม่มีข้อมูลตัวชี้วัดในระบบ"]),
        ("cluster", "1", "th", ["ภาคเหนือตอนบน 1", "ยังไม่มีข้อมูลตัวชี้วัดในระบบ"]),
        ("national", None, "en", ["No KPI data in the store yet"]),
    ],
)
def test_bas001b_every_esr_prints_on_an_empty_store_and_says_it_holds_no_data(
    live_server, store_path, kind, code, language, words, tmp_path
):
    import subprocess

    from reports.content import EsrRequest
    from reports.export import esr_pdf

    pdf = esr_pdf(get_engine(), EsrRequest(kind, code, None, language))
    path = tmp_path / "esr.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for word in words:
        assert word in text, text[:1500]
    assert "Traceback" not in text and "nan" not in text.split()


def test_bas002_a_store_that_stops_answering_is_said_so_and_the_page_recovers_by_itself(
    live_server, browser, store_path, catalog
):
    engine = make_engine(f"sqlite:///{store_path}")
    yearly = [k.id for k in catalog.kpis if k.period_type.value == "year"][:6]
    write_store(
        engine,
        catalog,
        cut(
            source(engine, catalog),
            kpis=yearly,
            provinces=("50", "51", "52", "58"),
            years=range(2560, 2569),
            districts=False,
        ),
    )
    engine.dispose()
    page, errors = watched_page(browser)
    page.goto(f"{live_server}/province/50")
    page.get_by_text("ข้อมูลถึง ปีงบประมาณ 2568").first.wait_for()
    old = page.get_by_text("ข้อมูลถึง ปีงบประมาณ 2560")
    page.goto(f"{live_server}/province/50?period=2560")  # ten-year-old history can be viewed
    old.first.wait_for()

    get_engine().dispose()  # the server's pooled connections let go, as between requests
    holder = sqlite3.connect(store_path, isolation_level=None, timeout=10)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE meta SET value = value WHERE key = 'data_version'")
    try:
        page.goto(f"{live_server}/province/50", wait_until="commit")  # seen before: the cache's copy, with its age
        page.locator("#store-stale, #store-unavailable").first.wait_for(timeout=60_000)
        assert page.locator("#store-stale").count() == 1, page.locator("#_pages_content").inner_text()[:300]
        assert "คลังข้อมูลไม่ตอบสนอง" in page.locator("#store-stale").inner_text()
        assert "จังหวัดเชียงใหม่" in page.locator("h1").first.inner_text()
        shot(page, "store_stale")
        unseen, _ = watched_page(browser)
        unseen.goto(
            f"{live_server}/province/58", wait_until="commit"
        )  # never seen: a plain message, never a blank page
        unseen.locator("#store-unavailable").wait_for(timeout=60_000)
        assert "ขณะนี้เชื่อมต่อคลังข้อมูลไม่ได้" in unseen.locator("#store-unavailable").inner_text()
        shot(unseen, "store_unavailable")
    finally:
        holder.execute("ROLLBACK")
        holder.execute("PRAGMA locking_mode=NORMAL")
        holder.execute("SELECT 1").fetchall()
        holder.close()
    # nobody touches the screen: it reloads itself and shows the province once the store answers
    unseen.get_by_text("จังหวัดแม่ฮ่องสอน").first.wait_for(timeout=60_000)
    assert unseen.locator("#store-unavailable").count() == 0
    page.locator("#store-stale").wait_for(state="detached", timeout=60_000)
    assert not [e for e in errors if "favicon" not in e], errors
    unseen.close()
    page.close()
