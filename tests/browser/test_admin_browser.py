"""The admin pages (web.admin_views) as drawn by Chromium, in Thai, at a phone's and a desk's width:
a form's field names read on one or two lines above controls of a sensible width (one field a row
on a phone), a time on at most two lines (its day, then its hour), and the wide tables scrolling
in named boxes the keyboard reaches."""

from __future__ import annotations

import pytest

from browser_support import TIMEOUT_MS

# each field of the add and create forms: the lines of its name, its width and its form's width
FIELDS = """() => [...document.querySelectorAll('form.poc-form .poc-field')].map(f => {
    const name = f.querySelector('.poc-field-name'), control = f.querySelector('input, select');
    const line = parseFloat(getComputedStyle(name).lineHeight);
    return {name: name.textContent, lines: Math.round(name.getBoundingClientRect().height / line),
            width: control.getBoundingClientRect().width, form: f.closest('form').getBoundingClientRect().width};
})"""

# each time of the page's tables: its text and how many lines it takes
TIMES = """() => [...document.querySelectorAll('table time')].map(t => {
    const tops = new Set([...t.getClientRects()].map(r => Math.round(r.top)));
    return {text: t.textContent, lines: tops.size};
})"""

BOXES = """() => [...document.querySelectorAll('table')].map(t => { const b = t.closest('.scroll-table');
    return b && {role: b.getAttribute('role'), tabindex: b.getAttribute('tabindex'), label: b.getAttribute('aria-label')}; })"""


@pytest.fixture(scope="module")
def events(live_server):
    from data.store import accounts
    from data.store.engine import get_engine

    engine = get_engine()
    accounts.add_account(engine, "browser.viewer", "viewer", ["50"], "kaeng-hang-lay 2569", by="tester")
    accounts.create_token(engine, "50", "tester", "ห้องประชุม", None)
    accounts.audit(engine, "browser.viewer", "sign_in_failed", "", "", "2001:db8:85a3::8a2e:370:7334")
    return live_server


@pytest.mark.parametrize("width", [390, 1440])
def test_adb001_admin_fields_read_whole_and_times_keep_together(browser, events, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{events}/admin?lang=th")
    page.wait_for_selector("form.poc-form")
    page.evaluate("document.fonts.ready")
    fields = page.evaluate(FIELDS)
    assert len(fields) >= 8, fields
    for field in fields:
        assert field["lines"] <= 2, field
        assert field["width"] >= min(12 * 16, field["form"]) - 1, field  # at least 12rem, or the whole row
        if width == 390:
            assert field["width"] >= field["form"] - 2, field  # one field a row, as wide as the page
    times = page.evaluate(TIMES)
    page.goto(f"{events}/admin/audit?lang=th")
    page.wait_for_selector("table time")
    times += page.evaluate(TIMES)
    assert len(times) >= 4
    assert all(1 <= t["lines"] <= 2 for t in times), [t for t in times if t["lines"] > 2]
    boxes = page.evaluate(BOXES)
    assert boxes and all(b == {"role": "region", "tabindex": "0", "label": "บันทึกการใช้งาน"} for b in boxes), boxes
    page.close()
