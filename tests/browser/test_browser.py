"""Click through the dashboard in headless Chromium: the overview map opens a province, the
scorecard's toggle and the back button move through URLs, and nothing is fetched from anywhere
but the app itself (no CDN, web font or map tile)."""

from __future__ import annotations

import logging
import os
import threading
from urllib.parse import urlsplit

import pytest

from test_pages import build_demo_store, dash_app, reset_caches

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
TIMEOUT_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, catalog):
    """The app on 127.0.0.1 (a free port), reading a small demo store."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.sqlite'}"
    build_demo_store(url, catalog)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("POC_LANGUAGE", "th")
        reset_caches()
        server = make_server("127.0.0.1", 0, dash_app().server, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join()
    reset_caches()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def test_brw001_overview_map_opens_a_province_and_nothing_leaves_the_server(live_server, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or request.url.split(":")[0]))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server}/?period=2569")
    page.wait_for_selector("#overview .choroplethlocation")
    assert page.locator("h1").inner_text() == "ภาพรวมระดับประเทศ"

    # the tile of Chiang Mai (50): its trace and position among the map's choropleth traces
    trace, position = page.evaluate("""() => {
        const traces = document.querySelector('#overview .js-plotly-plot')._fullData.filter(t => t.type === 'choropleth');
        const t = traces.findIndex(t => Array.from(t.locations).includes('50'));
        return [t, Array.from(traces[t].locations).indexOf('50')];
    }""")
    tile = page.locator("#overview .choroplethlayer .trace").nth(trace).locator("path.choroplethlocation").nth(position)
    box = tile.bounding_box()  # plotly listens on the map's background layer, so click where a user would
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/province/50?lang=th&period=2569")
    page.wait_for_selector("#scorecard")
    assert page.locator("h1").inner_text() == "จังหวัดเชียงใหม่"
    assert "กลุ่มจังหวัดภาคเหนือตอนบน 1" in page.locator("#breadcrumb").inner_text()
    page.wait_for_selector("#kpi-table tr.kpi-row svg.sparkline")  # the table of KPIs, sparklines included
    assert page.locator("#kpi-table tr.kpi-row").count() == 79
    first_catalog = page.locator("#kpi-table tr.kpi-row").first.get_attribute("data-kpi")

    # worst first is a link: the URL changes, and back returns to the catalog order
    page.locator("#sort-worst").click()
    page.wait_for_url("**/province/50?lang=th&period=2569&sort=worst")
    page.wait_for_selector("#sort-worst.active")
    page.wait_for_function(f"document.querySelector('#kpi-table tr.kpi-row').dataset.kpi !== '{first_catalog}'")
    page.go_back()
    page.wait_for_url("**/province/50?lang=th&period=2569")
    page.wait_for_selector("#sort-catalog.active")

    # the language toggle keeps the page and its state
    page.locator("#language-toggle").click()
    page.wait_for_url("**/province/50?lang=en&period=2569")
    page.wait_for_selector("#scorecard")
    assert page.locator("h1").inner_text() == "Chiang Mai province"

    assert hosts == {"127.0.0.1"}, f"requests left the server: {hosts}"
    assert not errors, errors
    page.close()


def test_brw002_choosing_what_the_map_shows_writes_it_in_the_url(live_server, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server}/?period=2569")
    page.wait_for_selector("#overview .choroplethlocation")
    page.locator("#national-goal-G2").click()
    page.wait_for_url("**/?lang=th&period=2569&show=G2")
    page.wait_for_selector("#national-goal-G2.active")
    assert page.locator("#map-title").inner_text().startswith("เป้าหมายที่ 2")
    page.go_back()
    page.wait_for_url("**/?period=2569")
    page.wait_for_function("document.querySelector('#map-title').innerText.startsWith('คะแนนรวม')")

    # the selector of what the map shows writes a KPI into the URL
    page.locator("#select-show button").click()
    page.locator("[role=option]", has_text="อัตราป่วยโรคไข้เลือดออก").first.click()
    page.wait_for_url("**/?period=2569&show=kpi:dengue_per_100k")
    page.wait_for_function("document.querySelector('#map-title').innerText.includes('ไข้เลือดออก')")
    page.close()
