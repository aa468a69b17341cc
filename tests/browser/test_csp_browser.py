"""The Content-Security-Policy in a real browser (issue 16, point 3): in force, and it costs nothing.

Headless Chromium (Debian's, with the same flags as the other browser tests) opens /,
/province/50, /cluster/1 and /wall of the running app: the policy is on the answer, no
`securitypolicyviolation` event fires and no console message names the policy, the page draws
(its h1, its text and a plotly figure). An inline script and an inline event handler added to a
page are refused, so the policy is really enforced; another site cannot frame the app."""

from __future__ import annotations

import pytest

from browser_support import TIMEOUT_MS, Recorder

# `live_server` (the app reading a demo store) and `browser` (Chromium) are conftest fixtures

# =========================================================================== the CSP in a browser

CSP_PAGES = {
    "/": "ภาพรวมระดับประเทศ",
    "/province/50?period=2569": "จังหวัดเชียงใหม่",
    "/cluster/1?period=2569": "กลุ่มจังหวัดภาคเหนือตอนบน 1",
    "/wall": "ประเทศไทย",
}
WATCH_CSP = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
    "[e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')));"
)


def open_watched(browser, url: str):
    """A page at `url` with every CSP violation and policy console message recorded: (page, answer, messages)."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    page.add_init_script(WATCH_CSP)
    answer = page.goto(url)
    return page, answer, messages


@pytest.mark.parametrize("path", list(CSP_PAGES))
def test_csp001_pages_draw_under_the_policy_without_a_violation(live_server, browser, path):
    from playwright.sync_api import expect

    page, answer, messages = open_watched(browser, f"{live_server}{path}")
    try:
        policy = answer.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
        expect(page.locator("h1").first).to_be_visible()
        expect(page.locator("body")).to_contain_text(CSP_PAGES[path])
        page.wait_for_selector(".js-plotly-plot .main-svg", state="attached")
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        assert violations == [], violations
        policy_messages = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
        assert policy_messages == [], policy_messages
        assert not [m for m in messages if m.startswith(("error", "page error"))], messages
    finally:
        page.close()


def test_csp002_an_injected_inline_script_is_refused(live_server, browser):
    page, _answer, _messages = open_watched(browser, f"{live_server}/data")
    try:
        page.wait_for_selector("h1")
        ran = page.evaluate("""() => {
            const script = document.createElement('script');
            script.textContent = 'window.__injected = true;';
            document.body.append(script);
            const img = document.createElement('img');
            img.setAttribute('onerror', 'window.__handler = true');
            // when the image has failed, its inline handler has run (or been refused): the handler
            // was set first, so it comes before this listener
            const failed = new Promise(done => img.addEventListener('error', done));
            img.src = 'data:,broken';
            document.body.append(img);
            return failed.then(() => [window.__injected === true, window.__handler === true]);
        }""")
        assert ran == [False, False]
        page.wait_for_function("() => window.__violations.some(v => v.startsWith('script-src'))")  # reported async
        violations = page.evaluate("window.__violations")
        assert any(v.startswith("script-src") for v in violations), violations
    finally:
        page.close()


def test_csp003_another_site_cannot_frame_the_app(live_server, browser):
    framer = Recorder(
        {
            "/": (
                200,
                {"Content-Type": "text/html"},
                f'<iframe id="app" src="{live_server}/" width="800" height="600"></iframe>'.encode(),
            )
        }
    )
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
            page.goto(f"{framer.url}/")
        frames = [frame for frame in page.frames if frame != page.main_frame]
        assert frames and all(
            not frame.url.startswith(live_server) or frame.query_selector("#react-entry-point") is None
            for frame in frames
        )
    finally:
        page.close()
        framer.stop()
