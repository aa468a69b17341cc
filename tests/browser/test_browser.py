"""Click through the dashboard in headless Chromium: the overview map opens a province, the
scorecard's toggle and the back button move through URLs, and nothing is fetched from anywhere
but the app itself (no CDN, web font or map tile).

The journeys a user makes (overview → province → district, a cluster's provinces compared, the
language toggle and back, a KPI's CSV), a tour of every page with every request routed (only the
app's own host is let through) and the console watched, and the not-found pages. Assertions are
on what a user sees; every wait is for a condition, never a fixed time."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest

from browser_support import TIMEOUT_MS
from web import assets as vendor

# `live_server` (the app reading a demo store) and `browser` (Chromium) are conftest fixtures


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
    page.wait_for_function(f"() => document.querySelector('#kpi-table tr.kpi-row').dataset.kpi !== '{first_catalog}'")
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


def test_brw001b_cluster_and_ranking_links_open_in_the_page_and_back_returns(live_server, browser):
    """The overview's clusters and rankings are markup (layouts.views.overview.markup_block); their
    links must still navigate as dcc.Link does: no reload, the URL changes, back works."""
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/?period=2569")
    page.wait_for_selector("#cluster-1 a.province-chip")
    page.evaluate("window.__samePage = true")
    chip = page.locator("#cluster-1 a.province-chip", has_text="ลำพูน")
    assert "bi-" in chip.locator("i").get_attribute("class")  # the status icon, not colour alone
    chip.click()
    page.wait_for_url("**/province/51?lang=th&period=2569")
    page.wait_for_selector("#scorecard")
    assert page.locator("h1").inner_text() == "จังหวัดลำพูน"
    assert page.evaluate("window.__samePage === true"), "the link reloaded the page"
    page.go_back()
    page.wait_for_url("**/?period=2569")
    page.wait_for_selector("#ranking-best a.spa-link")
    best = page.locator("#ranking-best a.spa-link").first
    name = best.inner_text()
    best.click()
    page.wait_for_selector("#scorecard")
    assert page.locator("h1").inner_text().endswith(name)
    page.go_back()
    page.locator("#cluster-3 a.cluster-link").click()
    page.wait_for_url("**/cluster/3?lang=th&period=2569")
    page.wait_for_selector("#cluster-heatmap")
    assert page.evaluate("window.__samePage === true")
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
    page.wait_for_function("() => document.querySelector('#map-title').innerText.startsWith('คะแนนรวม')")

    # the selector of what the map shows writes a KPI into the URL
    dengue = page.locator("#select-show option", has_text="อัตราป่วยโรคไข้เลือดออก").first.inner_text()
    page.locator("#select-show select").select_option(label=dengue)
    page.wait_for_url("**/?period=2569&show=kpi:dengue_per_100k")
    page.wait_for_function("() => document.querySelector('#map-title').innerText.includes('ไข้เลือดออก')")
    page.close()


# =========================================================================== journeys, tour, not found

CLUSTER_1 = "กลุ่มจังหวัดภาคเหนือตอนบน 1"
CLUSTER_1_MEMBERS = ["เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"]  # data/clusters.yaml


def expect(target):
    """Playwright's web-first assertion: it retries until the condition holds (or TIMEOUT_MS)."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect(target)


def new_page(browser, **options):
    page = browser.new_page(viewport={"width": 1600, "height": 1200}, **options)
    page.set_default_timeout(TIMEOUT_MS)
    return page


def click_centre(page, locator) -> None:
    """A click where a user would put the mouse: plotly listens on the plot's background layer,
    not on the drawn bar or tile, so the element itself cannot be clicked."""
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def bar_beside(page, graph: str, label: str):
    """The bar of a horizontal bar chart drawn level with its axis label `label`."""
    tick = page.locator(f"{graph} .ytick text").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    expect(tick).to_have_count(1)
    tick.scroll_into_view_if_needed()
    middle = lambda box: box["y"] + box["height"] / 2  # noqa: E731
    level = middle(tick.bounding_box())
    bars = page.locator(f"{graph} g.trace.bars g.point")
    index = min(range(bars.count()), key=lambda i: abs(middle(bars.nth(i).locator("path").bounding_box()) - level))
    return bars.nth(index)


def test_brw003_a_province_link_opens_its_scorecard_and_a_district_bar_its_district_page(live_server, browser):
    page = new_page(browser)
    page.goto(f"{live_server}/?period=2569")
    expect(page.locator("h1")).to_have_text("ภาพรวมระดับประเทศ")

    # the province's chip in its cluster's card on the overview
    page.locator("#clusters").get_by_role("link", name="เชียงใหม่", exact=True).click()
    page.wait_for_url("**/province/50?lang=th&period=2569")
    expect(page.locator("h1")).to_have_text("จังหวัดเชียงใหม่")
    expect(page.locator("#breadcrumb li")).to_have_text(["ประเทศไทย", CLUSTER_1, "เชียงใหม่"])

    # the district map (bars until boundaries are imported): the bar of Mueang Chiang Mai
    map_kpi = page.locator("#select-kpi option:checked").inner_text()  # "G2 · <KPI name> (<unit>)"
    kpi_name = re.fullmatch(r"G\d · (.+) \(.+\)", map_kpi).group(1)
    bar = bar_beside(page, "#district-map", "เมืองเชียงใหม่")
    shown_value = bar.locator("text").text_content()  # "38.12 ต่อประชากรแสนคน"
    click_centre(page, bar.locator("path"))
    page.wait_for_url(re.compile(r"/district/5001\?lang=th&period=2569(&|$)"))
    expect(page.locator("h1")).to_have_text("อำเภอเมืองเชียงใหม่")
    expect(page.locator("#breadcrumb li")).to_have_text(["ประเทศไทย", CLUSTER_1, "เชียงใหม่", "เมืองเชียงใหม่"])
    expect(page.locator("#breadcrumb a")).to_have_text(["ประเทศไทย", CLUSTER_1, "เชียงใหม่"])  # the district is the page
    # the value the bar showed is the district's value of that KPI, and the link the map wrote is understood
    expect(page.locator("#kpi-table tr", has_text=kpi_name)).to_contain_text(shown_value)
    expect(page.get_by_text(re.compile("ไม่เข้าใจค่า"))).to_have_count(0)  # "ไม่เข้าใจค่า … ของ kpi": no complaint

    # up the breadcrumb to the province again
    page.locator("#breadcrumb").get_by_role("link", name="เชียงใหม่", exact=True).click()
    page.wait_for_url("**/province/50?lang=th&period=2569")
    expect(page.locator("h1")).to_have_text("จังหวัดเชียงใหม่")
    page.close()


def test_brw004_a_cluster_page_compares_its_member_provinces(live_server, browser):
    page = new_page(browser)
    page.goto(f"{live_server}/cluster/1?period=2569")
    expect(page.locator("h1")).to_have_text(f"กลุ่มที่ 1{CLUSTER_1}")
    expect(page.locator("#cluster-facts li")).to_have_text(CLUSTER_1_MEMBERS)

    # ranks, scores and gaps to the best province: every member once, best first
    rows = page.locator("#cluster-ranks tbody tr")
    expect(rows).to_have_count(len(CLUSTER_1_MEMBERS))
    # rank, province, score, status, gap to the best, rank in the country
    table = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]
    assert [row[0] for row in table] == ["1", "2", "3", "4"], table
    assert sorted(row[1] for row in table) == sorted(CLUSTER_1_MEMBERS), table
    scores = [float(row[2]) for row in table]
    assert scores == sorted(scores, reverse=True), table
    assert table[0][4] == "ดีที่สุดในกลุ่ม", table
    for row, score in zip(table[1:], scores[1:]):
        gap, unit = row[4].split(" ")
        assert unit == "คะแนน" and abs(float(gap) - (scores[0] - score)) < 0.011, row

    # the six goal scores of the members side by side: one radar trace per province
    expect(page.locator("#goal-radar .legendtext")).to_have_count(len(CLUSTER_1_MEMBERS))
    assert sorted(page.locator("#goal-radar .legendtext").all_text_contents()) == sorted(CLUSTER_1_MEMBERS)

    # a member opens its scorecard, which shows the same score and ranks
    chiang_mai = next(row for row in table if row[1] == "เชียงใหม่")
    page.locator("#cluster-ranks").get_by_role("link", name="เชียงใหม่", exact=True).click()
    page.wait_for_url("**/province/50?lang=th&period=2569")
    expect(page.locator("h1")).to_have_text("จังหวัดเชียงใหม่")
    expect(page.locator("#overall")).to_contain_text(  # score and status, as the cluster's table showed them
        re.compile(rf"คะแนนรวม 6 เป้าหมาย\s*{re.escape(chiang_mai[2])}\s*{chiang_mai[3]}"), use_inner_text=True
    )
    expect(page.locator("#overall-rank")).to_have_text(
        f"อันดับ {chiang_mai[0]}/{len(CLUSTER_1_MEMBERS)} ในกลุ่ม · {chiang_mai[5]} ในประเทศ"
    )
    page.close()


def test_brw005_the_language_toggle_writes_lang_en_and_back_returns_to_thai(live_server, browser):
    page = new_page(browser)
    page.goto(f"{live_server}/?period=2569")
    expect(page.locator("h1")).to_have_text("ภาพรวมระดับประเทศ")
    expect(page.locator("#as-of")).to_contain_text("ข้อมูลถึง ปีงบประมาณ 2569 (30 ก.ย. 2569) · นำเข้าล่าสุด ")

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/?lang=en&period=2569")
    expect(page.locator("h1")).to_have_text("National overview")
    expect(page.locator("#as-of")).to_contain_text("Data to FY 2026 (30 Sep 2026) · last imported ")
    expect(page.locator("#map-title")).to_have_text("Overall score (6 goals)")
    expect(page.locator("#language-toggle")).to_have_text("ภาษาไทย")

    page.go_back()
    page.wait_for_url(re.compile(r"/\?period=2569$"))
    expect(page.locator("h1")).to_have_text("ภาพรวมระดับประเทศ")
    expect(page.locator("#map-title")).to_have_text("คะแนนรวม 6 เป้าหมาย")
    expect(page.locator("#language-toggle")).to_have_text("English")
    page.close()


def test_brw006_the_kpi_csv_download_holds_the_table_the_page_shows(live_server, browser):
    page = new_page(browser, accept_downloads=True)
    page.goto(f"{live_server}/kpi/road_deaths_per_100k?period=2569&all=1")  # every province ("Show all (77)")
    expect(page.locator("h1")).to_have_text("อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน")
    rows = page.locator("#kpi-distribution-table tbody tr")
    expect(rows).to_have_count(77)
    shown = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]

    with page.expect_download() as download:
        page.get_by_role("button", name="ดาวน์โหลด CSV").click()
    assert download.value.suggested_filename == (  # in the reader's language and calendar
        "อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน_ประเทศไทย_ปีงบประมาณ-2569.csv"
    )
    content = download.value.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads the Thai names
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert lines[0] == ["อันดับ", "รหัส", "พื้นที่", "ค่าล่าสุด", "หน่วย", "คะแนน", "สถานะ"]
    # each row as the page shows it: rank, area, value with unit, score, status
    downloaded = [
        [rank, area, f"{value} {unit}", score, status] for rank, _code, area, value, unit, score, status in lines[1:]
    ]
    assert downloaded == shown
    # Chiang Mai's value in the file is the one its row on the page shows
    chiang_mai = next(row for row in lines[1:] if row[2] == "เชียงใหม่")
    assert chiang_mai[1] == "50" and chiang_mai[4] == "ต่อประชากรแสนคน"
    expect(page.locator("#kpi-distribution-table tr", has_text="เชียงใหม่")).to_contain_text(
        f"{chiang_mai[3]} ต่อประชากรแสนคน"
    )
    page.close()


# every page, with what shows it is drawn: a selector to wait for, and a text a user reads on it
TOUR = {
    "/": ("#overview .choroplethlocation", "ภาพรวมระดับประเทศ"),
    "/province/50": ("#kpi-table tr.kpi-row svg.sparkline", "จังหวัดเชียงใหม่"),
    "/district/5001": ("#district-page #kpi-table tr.kpi-row", "อำเภอเมืองเชียงใหม่"),
    "/cluster/1": ("#goal-radar .legendtext", CLUSTER_1),
    "/kpi/road_deaths_per_100k": ("#kpi-distribution-table tr.dist-row", "การกระจายรายจังหวัด"),
    "/data": ("#import-table", "ตัวชี้วัดทุกตัวในคลังข้อมูล"),
    "/wall": (".wall-slide.active", "มีข้อมูล"),  # "มีข้อมูล 32/44 ตัวชี้วัด": the wall's data has come
    "/no/such/page": ("#not-found", "ไม่พบหน้านี้"),
    "/province/99": ("#not-found", "ไม่พบจังหวัดนี้"),
    "/district/9999": ("#not-found", "ไม่พบอำเภอนี้"),
    "/cluster/99": ("#not-found", "ไม่พบกลุ่มจังหวัดนี้"),
    "/kpi/no_such_kpi": ("#not-found", "ไม่พบตัวชี้วัดนี้"),
}


@pytest.fixture(scope="module")
def tour(live_server, browser):
    """Every page once, in one tab, with every request routed: the app's own origin is let
    through, anything else is aborted and recorded; console errors and page errors are recorded
    too. {path: {"drawn": text of the page, "foreign": [urls], "errors": [messages]}}."""
    app = urlsplit(live_server)
    visits: dict[str, dict] = {}
    current: list[str] = []

    def record(kind: str, what: str) -> None:
        visits[current[-1]][kind].append(what)

    def guard(route) -> None:
        target = urlsplit(route.request.url)
        if target.scheme in ("data", "blob") or (target.scheme, target.netloc) == (app.scheme, app.netloc):
            route.continue_()
        else:
            record("foreign", route.request.url)
            route.abort()

    def own_404(message) -> bool:
        """Chromium's console line for the 404 status of a path no page claims (web.security)."""
        return (
            current[-1] == "/no/such/page"
            and "status of 404" in message.text
            and urlsplit(message.location.get("url", "")).path == current[-1]
        )

    context = browser.new_context(viewport={"width": 1600, "height": 1200})
    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on(
        "console",
        lambda message: (
            record("errors", f"console: {message.text}") if message.type == "error" and not own_404(message) else None
        ),
    )
    page.on("pageerror", lambda error: record("errors", f"page error: {error}"))
    page.on(
        "websocket", lambda socket: None if urlsplit(socket.url).netloc == app.netloc else record("foreign", socket.url)
    )
    for path, (drawn, text) in TOUR.items():
        current.append(path)
        visits[path] = {"foreign": [], "errors": [], "drawn": ""}
        page.goto(f"{live_server}{path}")
        page.wait_for_selector(drawn)
        expect(page.locator("body")).to_contain_text(text)
        page.wait_for_load_state("networkidle")  # late requests (fonts, map data, the wall's data) are made by now
        visits[path]["drawn"] = page.locator("body").inner_text()
    context.close()
    return visits


def test_brw007_no_page_requests_anything_from_another_host(tour):
    for path, (_drawn, text) in TOUR.items():
        assert text in tour[path]["drawn"], f"{path} was not drawn: {tour[path]['drawn'][:300]!r}"
    foreign = {path: visit["foreign"] for path, visit in tour.items() if visit["foreign"]}
    assert not foreign, f"requests to other hosts were attempted: {foreign}"


def test_brw008_no_page_logs_an_error_in_the_console(tour):
    assert set(tour) == set(TOUR)
    errors = {path: visit["errors"] for path, visit in tour.items() if visit["errors"]}
    assert not errors, f"console errors: {errors}"


PRELOAD_PAGES = [
    "/",
    "/province/50",
    "/district/5001",
    "/cluster/1",
    "/kpi/road_deaths_per_100k",
    "/data",
    "/wall",
    "/province/99",
    "/kpi/no_such_kpi",
    "/no/such/page",
]
# a preload no page uses, added to every page before its load event: Chromium's warning about it
# says that Chromium has checked the page's preloads (it does ~3 s after the load event)
PRELOAD_PROBE = "/assets/poc.css?unused-preload-probe"
ADD_PRELOAD_PROBE = f"""document.addEventListener('DOMContentLoaded', () => {{
    const probe = document.createElement('link');
    probe.rel = 'preload'; probe.as = 'style'; probe.href = '{PRELOAD_PROBE}';
    document.head.append(probe);
}});"""


def test_brw008b_no_page_preloads_a_script_it_does_not_run(live_server, browser):
    """dcc's graph and dropdown chunks are preloaded for the pages that surely draw them, and the
    fonts every page writes in for all. Chromium warns of a preload not used within a few seconds
    of the load event: on a page with a graph that would mean the loader asks for another URL; on
    /data, /wall or a not-found page, a wasted request. Every page is opened in its own tab, then
    all wait together."""
    context = browser.new_context(viewport={"width": 1600, "height": 1200})
    context.add_init_script(ADD_PRELOAD_PROBE)
    warnings: dict[str, list[str]] = {path: [] for path in PRELOAD_PAGES}
    tabs = {}
    for path in PRELOAD_PAGES:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on(
            "console",
            lambda message, path=path: (
                warnings[path].append(message.text) if message.type == "warning" and "preload" in message.text else None
            ),
        )
        page.goto(f"{live_server}{path}")
        tabs[path] = page
    for path, page in tabs.items():  # Chromium reports an unused preload ~3 s after the load event
        page.wait_for_load_state("networkidle")
        while not any(PRELOAD_PROBE in text and "not used" in text for text in warnings[path]):
            page.wait_for_event("console")  # fails after TIMEOUT_MS without one
    preloads = {
        path: page.eval_on_selector_all("link[rel=preload][as=script]", "links => [...links].map(l => l.href)")
        for path, page in tabs.items()
    }
    # a preloaded font is one the page writes in: its face is loaded (an unused face stays "unloaded")
    faces = {
        path: page.evaluate(
            "[...document.fonts].filter(f => f.family.includes('Sarabun')).map(f => [f.weight, f.status])"
        )
        for path, page in tabs.items()
    }
    context.close()
    weights = {str(vendor._WEIGHTS[name.split("-")[1].split(".")[0]]) for name in vendor.EVERY_PAGE_FONTS}
    unused = {path: [w for w, status in found if w in weights and status != "loaded"] for path, found in faces.items()}
    assert not {path: w for path, w in unused.items() if w}, f"preloaded fonts a page never uses: {unused}"
    reported = {path: [text for text in found if PRELOAD_PROBE not in text] for path, found in warnings.items()}
    assert not {path: found for path, found in reported.items() if found}
    assert any(href.endswith("/dcc/async-graph.js") for href in preloads["/"]), preloads
    assert all(not preloads[path] for path in ("/data", "/wall", "/province/99", "/kpi/no_such_kpi")), preloads


def test_brw008c_a_map_drawn_without_the_inline_world_still_asks_only_the_app(live_server, browser):
    """The bundle holds no web address: a geo plot given neither the inline world topojson nor a
    topojsonURL fetches plotly's world from the app's /assets/topojson/, never from a CDN."""
    page = new_page(browser)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server}/data")
    page.wait_for_function("() => window.Plotly && typeof window.Plotly.newPlot === 'function'")
    page.evaluate("""async () => {
        window.PlotlyGeoAssets = {topojson: {}};  // as plotly.js itself starts: no world given inline
        const div = document.createElement('div'); document.body.appendChild(div);
        await Plotly.newPlot(div, [{type: 'scattergeo', lat: [18.8], lon: [98.9]}], {});
    }""")
    page.close()
    world = [url for url in requested if url.endswith("world_110m.json")]
    assert world == [f"{live_server}/assets/topojson/world_110m.json"], requested
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requested), requested


NOT_FOUND = [  # a code a user might type, the heading and the sentence that explain it
    ("/province/99", "ไม่พบจังหวัดนี้", "ไม่มีจังหวัดรหัส “99”"),
    ("/province/เชียงใหม่", "ไม่พบจังหวัดนี้", "ไม่มีจังหวัดรหัส “เชียงใหม่”"),  # a name, not a code
    ("/district/9999", "ไม่พบอำเภอนี้", "ไม่มีอำเภอรหัส “9999”"),
    ("/cluster/19", "ไม่พบกลุ่มจังหวัดนี้", "ไม่มีกลุ่มจังหวัดหมายเลข “19”"),
    ("/kpi/no_such_kpi", "ไม่พบตัวชี้วัดนี้", "ไม่มีตัวชี้วัดรหัส “no_such_kpi”"),
    ("/district/เมืองเชียงใหม่?lang=en", "District not found", "There is no district with code “เมืองเชียงใหม่”"),
]


def test_brw009_unknown_codes_show_a_clear_not_found_page(live_server, browser):
    page = new_page(browser)
    for path, heading, sentence in NOT_FOUND:
        page.goto(f"{live_server}{path}")
        expect(page.locator("#not-found h1")).to_have_text(heading)
        expect(page.locator("#not-found")).to_contain_text(sentence)
        body = page.locator("body").inner_text()
        assert "Traceback" not in body and "Internal Server Error" not in body, f"{path}: {body[:300]!r}"
        expect(page.locator("#language-toggle")).to_be_visible()  # the page's frame is there, not a bare message

    # its link leads home
    page.locator("#not-found").get_by_role("link", name="Back to the national overview").click()
    page.wait_for_url("**/?lang=en")
    expect(page.locator("h1")).to_have_text("National overview")
    page.close()
