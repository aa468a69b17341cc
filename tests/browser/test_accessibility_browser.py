"""WCAG 2.1 AA in a real browser (issue 19): axe-core, the accessibility engine from npm
(tests/browser/axe, installed by `make setup` and `.ci/run`), runs on every page in Thai and in
English, on each slide of the wall screens and on the sign-in pages, with no serious or critical
violation; every page says its language (`<html lang>`) and has a tab title in it; the keyboard
alone reaches every control, sees where it is, and can change the period and open a province.

axe is served to the browser from the page's own origin (a route of the test's browser context,
never the app and never a CDN), so the app's Content-Security-Policy stays as users have it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_support import TIMEOUT_MS

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__test-axe__/axe.min.js"  # answered by the browser context's route, not by the app
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
THAI = re.compile(r"[\u0e00-\u0e7f]")

# every page of the dashboard, with a selector that shows it is drawn
PAGES = {
    "/": "#overview .choroplethlocation, #overview .main-svg",
    "/?show=G4": "#overview .main-svg",
    "/province/50": "#kpi-table tr.kpi-row",
    "/province/10": "#kpi-table tr.kpi-row",
    "/district/5001": "#district-page #kpi-table tr.kpi-row",
    "/district/1001": "#district-page #kpi-table tr.kpi-row",
    "/cluster/1": "#goal-radar .main-svg",
    "/cluster/10": "#goal-radar .main-svg",
    "/kpi/road_deaths_per_100k": "#kpi-distribution-table tr.dist-row",
    "/kpi/budget_disbursement_pct": "#kpi-distribution-table tr.dist-row",
    "/data": "#import-table",
    "/admin": "main",
    "/admin/audit": "main",
    "/account": "main",
    "/logout": "main",
    "/no/such/page": "#not-found",
    "/province/99": "#not-found",
}
WALLS = ["/wall", "/wall?cluster=1", "/wall?cluster=10", "/wall?province=50", "/wall?province=50&theme=dark"]
SLIDES = ("goals", "exceptions", "map", "trends", "hotspots")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed at {AXE}: run `make setup` (npm ci in tests/browser/axe)")
    return AXE.read_text(encoding="utf-8")


def open_context(browser, live_server, axe_source, *, width=1440, height=1000, anonymous=False):
    """A browser context that answers AXE_PATH on the app's origin with axe-core."""
    headers = {"X-Harness-Anonymous": "1"} if anonymous else {}
    context = browser.new_context(viewport={"width": width, "height": height}, extra_http_headers=headers)
    context.route(
        f"{live_server}{AXE_PATH}",
        lambda route: route.fulfill(status=200, body=axe_source, content_type="application/javascript"),
    )
    return context


def axe_violations(page, live_server) -> list[dict]:
    """axe's WCAG 2.1 A/AA and best-practice violations of the page as drawn, every <details>
    opened first (the tables behind the charts are checked too)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{live_server}{AXE_PATH}")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    script = (
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '')"
        ".replace(/\\s+/g, ' ').slice(0, 220))})))"
    )
    return page.evaluate(script, WCAG_AA)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def with_language(path: str, language: str) -> str:
    if language == "th":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def check_language(page, language: str) -> list[str]:
    """What is wrong with the page's declared language and tab title, if anything."""
    problems = []
    declared = page.evaluate("document.documentElement.lang")
    if declared != language:
        problems.append(f"<html lang={declared!r}>, not {language!r}")
    title = page.title()
    if language == "en" and THAI.search(title):
        problems.append(f"an English page's tab title is in Thai: {title!r}")
    if language == "th" and not THAI.search(title):
        problems.append(f"a Thai page's tab title has no Thai: {title!r}")
    return problems


@pytest.mark.parametrize("language", ["th", "en"])
def test_a11y001_every_page_has_no_serious_axe_violation_and_says_its_language(
    live_server, browser, axe_source, language
):
    visits = [(with_language(path, language), drawn) for path, drawn in PAGES.items()]
    found = scan(open_context(browser, live_server, axe_source), live_server, visits, language)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def scan(context, live_server, visits, language: str) -> dict:
    """Each (path, selector drawn) of `visits` opened in turn and checked by axe and for its
    language: {path: problems} of those with any. The context is closed after."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found = {}
    for path, drawn in visits:
        page.goto(f"{live_server}{path}")
        page.wait_for_selector(drawn)
        page.wait_for_load_state("networkidle")
        problems = [json.dumps(v, ensure_ascii=False) for v in blocking(axe_violations(page, live_server))]
        problems += check_language(page, language)
        if problems:
            found[path] = problems
    context.close()
    return found


@pytest.mark.parametrize("language", ["th", "en"])
def test_a11y002_every_wall_slide_has_no_serious_axe_violation(live_server, browser, axe_source, language):
    visits = [
        (
            with_language(f"{wall}{'&' if '?' in wall else '?'}slides={slide}", language),
            f".wall-slide.active[data-slide='{slide}']",
        )
        for wall in WALLS
        for slide in SLIDES
    ]
    found = scan(open_context(browser, live_server, axe_source, width=1920, height=1080), live_server, visits, language)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("language", ["th", "en"])
def test_a11y003_the_sign_in_page_has_no_serious_axe_violation(live_server, browser, axe_source, language):
    context = open_context(browser, live_server, axe_source, width=390, height=844, anonymous=True)
    page = context.new_page()
    page.goto(f"{live_server}/login?lang={language}")
    page.wait_for_selector("input[name=username]")
    problems = [json.dumps(v, ensure_ascii=False) for v in blocking(axe_violations(page, live_server))]
    problems += check_language(page, language)
    context.close()
    assert not problems, problems


def test_a11y004_axe_finds_what_it_is_asked_to_find(live_server, browser, axe_source):
    """The check above can fail: the same page with a control stripped of its name, and a text
    made too faint to read, is reported."""
    context = open_context(browser, live_server, axe_source)
    page = context.new_page()
    page.goto(f"{live_server}/province/50")
    page.wait_for_selector("#kpi-table tr.kpi-row")
    page.evaluate(
        """() => {
        const label = document.querySelector('#select-period label');
        const select = label.querySelector('select');
        label.replaceWith(select);
        document.querySelector('h1').style.color = '#c8c8c8';
    }"""
    )
    ids = {v["id"] for v in blocking(axe_violations(page, live_server))}
    context.close()
    assert {"select-name", "color-contrast"} <= ids, ids


# =========================================================================== the keyboard

FOCUSABLE = (
    "a[href], button:not([disabled]), select:not([disabled]), input:not([disabled]):not([type=hidden]), "
    "summary, textarea, [tabindex]:not([tabindex='-1'])"
)
KEYBOARD_PAGES = ["/", "/province/50", "/cluster/1", "/kpi/road_deaths_per_100k", "/data", "/admin"]


def tab_walk(page, limit: int = 600) -> tuple[list[str], list[str]]:
    """Press Tab from the top of the page until the focus comes round again: the keys of the
    elements focused, and those of focused elements whose focus cannot be seen."""
    page.evaluate("""() => {
        let n = 0;
        for (const e of document.querySelectorAll('*')) { e.dataset.pocKey = String(n++); }
        document.activeElement && document.activeElement.blur();
        window.scrollTo(0, 0);
    }""")
    seen, unseen_focus = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const s = getComputedStyle(e);
            const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
            return {key: e.dataset.pocKey, shown};
        }""")
        if state is None or (seen and state["key"] == seen[0]):
            break  # round the page and back to the first
        if seen and state["key"] == seen[-1]:
            continue  # the next part of the same control (a date's day, month and year)
        if state["key"] in seen:
            break  # a loop that never comes back to the first: a trap
        seen.append(state["key"])
        if not state["shown"]:
            unseen_focus.append(state["key"])
    return seen, unseen_focus


def describe(page, keys: list[str]) -> list[str]:
    return page.evaluate(
        """keys => keys.map(k => { const e = document.querySelector(`[data-poc-key="${k}"]`);
            return e ? e.outerHTML.slice(0, 160) : k; })""",
        keys,
    )


@pytest.mark.parametrize("path", KEYBOARD_PAGES)
def test_a11y005_the_keyboard_reaches_every_control_and_shows_where_it_is(live_server, browser, path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server}{path}")
    page.wait_for_selector("main")
    page.wait_for_load_state("networkidle")
    controls = page.evaluate(
        """selector => Array.from(document.querySelectorAll(selector)).filter(e => {
            const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
            return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('[inert]')
                   && !e.closest('details:not([open]) > :not(summary)');
        }).length""",
        FOCUSABLE,
    )
    seen, unseen_focus = tab_walk(page)
    assert seen, f"{path}: Tab focuses nothing"
    first = page.evaluate('k => document.querySelector(`[data-poc-key="${k}"]`).className', seen[0])
    if path != "/admin":  # the admin pages are server-rendered forms without the dashboard's menu
        assert "skip-link" in first, f"{path}: the first Tab does not reach the skip link"
    assert len(seen) >= controls, f"{path}: {controls} controls shown, the keyboard reached {len(seen)}"
    assert not unseen_focus, f"{path}: focus not shown on {describe(page, unseen_focus[:5])}"
    page.close()


def test_a11y006_keyboard_alone_changes_the_period_and_opens_a_province(live_server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server}/")
    page.wait_for_selector("#overview .main-svg")
    page.wait_for_load_state("networkidle")
    # the skip link moves the keyboard past the menu, to the page's own content
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # Tab to the period, then choose the next one down with the arrow key
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#select-period')"):
            break
    else:
        pytest.fail("the period selector cannot be reached by Tab")
    before = page.evaluate("document.activeElement.value")
    page.keyboard.press("ArrowDown")
    page.wait_for_url(re.compile(r"[?&]period="))
    chosen = parse_qs(urlsplit(page.url).query)["period"][0]
    assert chosen != before
    page.wait_for_selector(f"#ranking a[href*='period={chosen}']")  # the page is drawn for the period chosen
    # the keyboard is still on the period, not thrown back to the top of the page
    for _ in range(50):  # (wait_for_function's scripts are refused by the app's Content-Security-Policy)
        if page.evaluate("!!document.activeElement.closest('#select-period')"):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("after the period changed, the keyboard's focus is no longer on the period")
    # a province in the ranking opens by Enter, in the page
    for _ in range(80):
        page.keyboard.press("Tab")
        target = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if target.startswith("/province/"):
            break
    else:
        pytest.fail("no province link can be reached by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/province/\d\d"))
    page.wait_for_selector("#kpi-table tr.kpi-row")
    assert parse_qs(urlsplit(page.url).query).get("period") == [chosen]  # the period chosen goes with it
    page.close()
