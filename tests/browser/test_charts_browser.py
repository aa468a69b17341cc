"""A long ranking with the keyboard alone: the KPI page's 77 provinces show as their first and
last ten bars; the keyboard reaches "แสดงทั้งหมด (77)", opens every bar, then opens the chart's
table ("ดูเป็นตาราง") and reads every province in it, in the bars' order."""

from __future__ import annotations

import re

from browser_support import TIMEOUT_MS

ROAD = "road_deaths_per_100k"


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect(target)


def tab_to(page, selector: str, most: int = 400) -> None:
    """Press Tab until the element `selector` has the focus (as a keyboard user moves)."""
    target = page.locator(selector)
    expect(target).to_have_count(1)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"the keyboard never reached {selector}")


def test_chr040_show_all_and_the_table_by_keyboard(live_server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server}/kpi/{ROAD}?period=2569")
    bars = page.locator("#kpi-bars-figure g.trace.bars g.point")
    ticks = page.locator("#kpi-bars-figure .ytick text")
    expect(ticks).to_have_count(21)  # ten, the marker of the 57 between, ten
    expect(ticks.nth(10)).to_have_text("… อีก 57 พื้นที่ …")
    expect(page.locator("#kpi-bars-figure-all")).to_have_text("แสดงทั้งหมด (77)")

    tab_to(page, "#kpi-bars-figure-all")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/kpi/{ROAD}\?lang=th&period=2569&all=1$"))
    expect(bars).to_have_count(77)
    expect(ticks).to_have_count(77)
    expect(page.locator("#kpi-bars-figure-ends")).to_have_text("แสดงเฉพาะ 10 อันดับแรกและ 10 อันดับท้าย")
    # the page drawn afresh leaves the keyboard on the way back, not at the top of the page
    expect(page.locator("#kpi-bars-figure-ends")).to_be_focused()

    table = page.locator("#kpi-bars-figure-table table")
    expect(table).to_be_hidden()  # behind its summary until asked for
    tab_to(page, "#kpi-bars-figure summary")
    expect(page.locator("#kpi-bars-figure summary")).to_have_text("ดูเป็นตาราง")
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text("ค่าที่แสดงในแผนภูมิ: อัตราการเสียชีวิตจากอุบัติเหตุทางถนน")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(77)
    names = [name.strip() for name in table.locator("tbody th").all_inner_texts()]
    drawn = ticks.evaluate_all("ticks => ticks.map(t => [t.getBoundingClientRect().top, t.textContent])")
    assert names == [text.strip() for _, text in sorted(drawn)]  # the table reads as the bars run, top down
    sentence = page.locator("#kpi-bars-figure-summary").inner_text()
    assert f"ต่ำสุด {names[0]} (" in sentence and f"สูงสุด {names[-1]} (" in sentence  # lower is better: lowest first
    page.close()
