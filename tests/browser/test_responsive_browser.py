"""Every page at a phone's width (390 px), a laptop's (1440 px) and a wide screen's (1920 px), in Thai
and at 390 px in English (issue 19, part 4): nothing makes the page scroll sideways, every table is
either wholly in view or inside a box that scrolls it (a named region the keyboard reaches), and
in such a box the first column stays in place, opaque, when the box is scrolled to its end.

A full-page screenshot of each is written to the folder named by POC_SCREENSHOTS (else the test's
own tmp_path), with heights.json, the height of each page at each width, to look at."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from browser_support import TIMEOUT_MS

PAGES = {  # a page and what shows it is drawn
    "/?period=2569": "#overview .choroplethlocation",
    "/province/50?period=2569": "#kpi-table tr.kpi-row svg.sparkline",
    "/district/5001?period=2569": "#district-page #kpi-table tr.kpi-row",
    "/cluster/1?period=2569": "#cluster-ranks table",
    "/kpi/road_deaths_per_100k?period=2569": "#kpi-distribution-table tr.dist-row",
    "/data": "#import-table",
    "/admin": "table",
    "/login": "form",
    "/account": "form",
}
SIGNED_OUT = {"/login"}  # the harness signs every other request in as its country-wide admin

# what the page's tables and scroll boxes are like, as measured in the browser
TABLES = """() => {
    const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const scroller = e => { for (let p = e.parentElement; p; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX; if (x === 'auto' || x === 'scroll') return p; } return null; };
    return [...document.querySelectorAll('table')].filter(visible).map(table => {
        const box = scroller(table), rect = table.getBoundingClientRect();
        const clipped = [];
        for (let p = table.parentElement; p && p !== box; p = p.parentElement) {
            const r = p.getBoundingClientRect();
            if (getComputedStyle(p).overflowX !== 'visible' && rect.right > r.right + 1) clipped.push(p.className);
        }
        return {
            id: table.id || table.className, left: rect.left, right: rect.right, clipped,
            box: box && { overflows: box.scrollWidth > box.clientWidth + 1, tabindex: box.getAttribute('tabindex'),
                          role: box.getAttribute('role'), label: box.getAttribute('aria-label') },
        };
    });
}"""

# in each box that overflows: the first cell of the first body row and the next, before and after
# the box is scrolled to its end, and the first cell's background
STICKY = """() => [...document.querySelectorAll('.scroll-table')].filter(b => b.getClientRects().length
        && b.scrollWidth > b.clientWidth + 1).map(box => {
    if (!box.querySelector(':scope > table')) return null;  // a wide figure (the heatmap) has no first column
    const row = [...box.querySelectorAll('tbody tr')].find(r => r.cells.length > 1 && r.cells[0].colSpan === 1
        && r.cells[0].getClientRects().length);
    if (!row) return null;
    const [first, second] = row.cells;
    const before = [first.getBoundingClientRect().left, second.getBoundingClientRect().left];
    box.scrollLeft = box.scrollWidth;
    const after = [first.getBoundingClientRect().left, second.getBoundingClientRect().left];
    box.scrollLeft = 0;
    return {label: box.getAttribute('aria-label'), before, after, background: getComputedStyle(first).backgroundColor};
}).filter(Boolean)"""


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("POC_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def opened(browser, live_server, path: str, width: int, language: str):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    if path in SIGNED_OUT:
        page.set_extra_http_headers({"X-Harness-Anonymous": "1"})
    separator = "&" if "?" in path else "?"
    page.goto(f"{live_server}{path}{separator}lang={language}")
    page.wait_for_selector(PAGES[path])
    page.evaluate("document.fonts.ready")
    return page


def problems_of(page, width: int) -> list[str]:
    """What is cut off or scrolls the page sideways, and scroll boxes that lose their first column."""
    found = []
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll_width > width:
        found.append(f"the page scrolls sideways: {scroll_width} px wide")
    for table in page.evaluate(TABLES):
        box = table["box"]
        if box is None and (table["left"] < -1 or table["right"] > width + 1 or table["clipped"]):
            found.append(
                f"table {table['id']!r} cut off: {table['left']:.0f}–{table['right']:.0f} px {table['clipped']}"
            )
        if box and box["overflows"] and not (box["tabindex"] == "0" and box["role"] == "region" and box["label"]):
            found.append(f"table {table['id']!r} scrolls in a box the keyboard cannot reach or that has no name: {box}")
    for sticky in page.evaluate(STICKY):
        if abs(sticky["after"][0] - sticky["before"][0]) > 1 or sticky["after"][1] >= sticky["before"][1]:
            found.append(f"first column of {sticky['label']!r} moved: {sticky}")
        if sticky["background"] in ("transparent", "rgba(0, 0, 0, 0)"):
            found.append(f"first column of {sticky['label']!r} is see-through")
    return found


def look(browser, live_server, shots: Path, widths, language: str) -> tuple[dict, list[str], int]:
    """Open every page at `widths`: its height at each, the problems found, how many boxes scrolled."""
    heights, problems, scrolled = {}, [], 0
    for width in widths:
        for path in PAGES:
            page = opened(browser, live_server, path, width, language)
            name = path.split("?")[0].strip("/").replace("/", "_") or "overview"
            page.screenshot(path=shots / f"{name}_{width}_{language}.png", full_page=True)
            heights[f"{path.split('?')[0]} {width} {language}"] = page.evaluate(
                "document.scrollingElement.scrollHeight"
            )
            problems += [f"{path} at {width} px ({language}): {p}" for p in problems_of(page, width)]
            scrolled += len(page.evaluate(STICKY))
            page.close()
    return heights, problems, scrolled


def test_rsp001_every_page_fits_a_phone_a_laptop_and_a_wide_screen(live_server, browser, shots):
    heights, problems, scrolled = look(browser, live_server, shots, (390, 1440, 1920), "th")
    (shots / "heights.json").write_text(json.dumps(heights, ensure_ascii=False, indent=1), encoding="utf-8")
    assert not problems, "\n".join(problems)
    assert scrolled >= 3, "no table scrolled in its box at 390 px: the first column was never tried"
    assert heights["/data 390 th"] < 3000, heights  # it was 14,185 px: one long table of every KPI


def test_rsp002_every_page_fits_a_phone_in_english(live_server, browser, shots):
    heights, problems, _ = look(browser, live_server, shots, (390,), "en")
    assert not problems, "\n".join(problems)


def test_rsp003_the_data_page_opens_every_goal_on_a_desk_and_folds_them_on_a_phone(live_server, browser):
    from playwright.sync_api import expect

    wide = opened(browser, live_server, "/data", 1440, "th")
    sections = wide.locator("details.goal-section")
    expect(sections).to_have_count(6, timeout=TIMEOUT_MS)
    assert all(sections.nth(i).evaluate("d => d.open") for i in range(6))
    assert wide.locator("details.goal-section table.status-table").first.is_visible()
    wide.close()

    phone = opened(browser, live_server, "/data", 390, "th")
    sections = phone.locator("details.goal-section")
    expect(sections).to_have_count(6, timeout=TIMEOUT_MS)
    assert not any(sections.nth(i).evaluate("d => d.open") for i in range(6))
    tall = phone.evaluate("document.scrollingElement.scrollHeight")
    first = sections.first.locator("summary")
    first.focus()
    phone.keyboard.press("Enter")  # one goal opened by the keyboard
    assert sections.first.evaluate("d => d.open")
    assert sections.first.locator("table.status-table").is_visible()
    assert phone.evaluate("document.scrollingElement.scrollHeight") > tall
    phone.close()


def test_rsp004_a_laptop_sees_the_whole_kpi_table_owner_included(live_server, browser):
    """At 1440 px the province's KPI table fits its card: the owner column is on screen without
    scrolling the box (a review found it cut, 'ความเป็นปัจจ…', and the owner out of sight)."""
    page = opened(browser, live_server, "/province/50?period=2569", 1440, "th")
    box = page.locator("#kpi-table .scroll-table")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    owner = page.locator("#kpi-table thead th").last
    assert owner.inner_text().strip() == "ผู้รับผิดชอบ"
    right = owner.evaluate("e => e.getBoundingClientRect().right")
    assert right <= box.evaluate("b => b.getBoundingClientRect().right") + 1
    page.close()
