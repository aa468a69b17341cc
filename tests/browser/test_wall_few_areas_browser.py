"""Walls of clusters of 2, 4 and 6 provinces and of a province, at 1920×1080 and 3840×2160, in
headless Chromium against `live_server`: no two pieces of text overlap (the glyphs' boxes, HTML
and the figures' SVG alike), everything is inside the screen and nothing is cut, no text is
smaller than a wall needs at 3 m, the map slide is a card per province with best and worst lists
that never name one twice, and each figure is an image with a sentence for a screen reader. And
the cluster page's radar and heatmap for 2 and 6 provinces: no ring numbers on the shapes, goal
names outside the circle, every KPI name whole and inside the figure.

The module's demo store has a cluster of two (Southern Border without Pattani, which joins the
Southern Gulf cluster, making six): no cluster of the 2017 announcement has two provinces, but
membership is editable data. Screenshots go to a folder under each test's tmp_path."""

from __future__ import annotations

import re

import pytest
from test_wall_screen_browser import OVERFLOW_CHECK

from browser_support import TIMEOUT_MS
from data.rules.catalog import load_catalog
from data.store.engine import make_engine
from data.store.setup import init_store
from settings import PROJECT_ROOT
from stores import demo_frame, write_demo

# the two-province cluster, and a four and a six of the announcement: {query: member codes}
WALLS = {
    "cluster=18": ["95", "96"],
    "cluster=1": ["50", "51", "52", "58"],
    "cluster=10": ["14", "15", "16", "17", "18", "19"],
}
SIZES = [(1920, 1080), (3840, 2160)]
SMALLEST_HTML_PX = 18  # at 1080 rows, scaled with the screen: the wall's floor for any text
SMALLEST_FIGURE_PX = 16  # the figures' tick labels, at 1080 rows

# Every piece of text on the screen as the boxes its glyphs take (a text node's line boxes, cut to
# its element's box so a tall font's ascent is not counted; an SVG <text>'s box in the figures),
# with its size in screen pixels; then the pairs of different elements whose boxes overlap by more
# than 2 px each way, and what lies outside the screen.
TEXT_GEOMETRY = """() => {
  const width = window.innerWidth, height = window.innerHeight;
  const visible = (element) => element.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const boxes = [], problems = [];
  for (const element of document.querySelectorAll('#wall *')) {
    if (!(element instanceof HTMLElement) || element.closest('.wall-plot') || !visible(element)) continue;
    const own = element.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(element).fontSize);
    for (const node of element.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const line of range.getClientRects()) {
        if (line.width < 1) continue;
        boxes.push({element, text: node.textContent.trim().slice(0, 40), size, left: line.left, right: line.right,
                    top: Math.max(line.top, own.top), bottom: Math.min(line.bottom, own.bottom)});
      }
    }
  }
  for (const text of document.querySelectorAll('#wall .wall-slide.active .wall-plot text')) {
    if (!text.textContent.trim() || !visible(text)) continue;
    const box = text.getBoundingClientRect();
    if (box.width < 1) continue;
    const plot = text.closest('.wall-plot');
    const scale = plot.getBoundingClientRect().width / plot.offsetWidth;
    boxes.push({element: text, text: text.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(text).fontSize) * scale,
                left: box.left, right: box.right, top: box.top, bottom: box.bottom, svg: true});
  }
  for (const box of boxes) {
    if (box.left < -1 || box.top < -1 || box.right > width + 1 || box.bottom > height + 1)
      problems.push('outside the screen: "' + box.text + '"');
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.element === b.element || a.element.contains(b.element) || b.element.contains(a.element)) continue;
      const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (across > 2 && down > 2) problems.push('overlap: "' + a.text + '" and "' + b.text + '"');
    }
  }
  const html = boxes.filter((box) => !box.svg).map((box) => box.size);
  const svg = boxes.filter((box) => box.svg).map((box) => box.size);
  return {problems, count: boxes.length, smallestHtml: Math.min(...html), smallestSvg: svg.length ? Math.min(...svg) : null};
}"""


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    """The module's demo store (tests/conftest's `live_server` reads it) with a cluster of two:
    Pattani (94) moves from the Southern Border cluster (18) to the Southern Gulf (16)."""
    folder = tmp_path_factory.mktemp("few_areas")
    text = (PROJECT_ROOT / "data" / "clusters.yaml").read_text(encoding="utf-8")
    moved = text.replace('provinces: ["94", "95", "96"]', 'provinces: ["95", "96"]').replace(
        'provinces: ["80", "84", "86", "90", "93"]', 'provinces: ["80", "84", "86", "90", "93", "94"]'
    )
    assert moved.count('"94"') == 1 and text != moved
    (folder / "clusters.yaml").write_text(moved, encoding="utf-8")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    catalog = load_catalog(PROJECT_ROOT / "kpi_definitions.yaml")
    engine = make_engine(url)
    try:
        init_store(engine, catalog, folder / "clusters.yaml")
        write_demo(engine, demo_frame(engine, catalog))
    finally:
        engine.dispose()
    return url


def open_wall(browser, url: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("() => window.pocWall && window.pocWall.renders > 0")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.wall-slide.active')).opacity === '1'")
    return page, errors


def assert_readable(page, height: int) -> dict:
    """Nothing overlaps, nothing is outside the screen or cut, no text smaller than the floor."""
    geometry = page.evaluate(TEXT_GEOMETRY)
    assert geometry["problems"] == [], geometry["problems"][:10]
    assert geometry["count"] > 10  # the check saw the screen's text
    assert page.evaluate(OVERFLOW_CHECK) == []
    assert geometry["smallestHtml"] >= SMALLEST_HTML_PX * height / 1080 - 0.01, geometry["smallestHtml"]
    if geometry["smallestSvg"] is not None:
        assert geometry["smallestSvg"] >= SMALLEST_FIGURE_PX * height / 1080 - 0.01, geometry["smallestSvg"]
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= page.viewport_size["width"] and size[1] <= page.viewport_size["height"], size
    return geometry


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("wall", list(WALLS))
@pytest.mark.parametrize("slide", ["map", "hotspots", "goals"])
def test_wfb001_cluster_walls_of_2_4_and_6_fit_legibly_with_no_text_on_text(
    live_server, browser, tmp_path, wall, slide, width, height
):
    members = WALLS[wall]
    page, errors = open_wall(browser, f"{live_server}/wall?{wall}&slides={slide}", width, height)
    shots = tmp_path / "wall_shots"
    shots.mkdir()
    page.screenshot(path=str(shots / f"{wall.replace('=', '-')}-{slide}-{width}x{height}.png"))
    assert_readable(page, height)

    active = page.locator(".wall-slide.active")
    if slide == "map":
        cards = active.locator(".wall-area-card")
        assert cards.count() == len(members) and active.locator(".wall-plot").count() == 0
        assert sorted(cards.evaluate_all("cards => cards.map(card => card.dataset.area)")) == sorted(members)
        places = [text.strip() for text in active.locator(".wall-area-rank").all_inner_texts()]
        assert places == [str(i) for i in range(1, len(members) + 1)]
        name_sizes = active.locator(".wall-area-name").evaluate_all(
            "names => names.map(name => parseFloat(getComputedStyle(name).fontSize))"
        )
        assert min(name_sizes) >= 1.3 * 20 * height / 1080 - 0.01  # names at least 1.3 rem: read across the room
        lists = active.locator(".wall-map-ranks")
        assert lists.count() == 2
        first, last = (
            lists.nth(i).locator(".wall-rank-line").evaluate_all("lines => lines.map(line => line.dataset.area)")
            for i in range(2)
        )
        assert len(first) == len(last) == min(3, len(members) // 2) and not set(first) & set(last)
        titles = [lists.nth(i).locator(".wall-label").inner_text() for i in range(2)]
        assert titles == (["นำ", "ตามหลัง"] if len(members) == 2 else ["ดีที่สุด", "ต้องเร่งรัด"])
    elif slide == "hotspots":
        rows = active.locator(".wall-hot-row:visible")
        assert rows.count() == len(members)
        assert sorted(rows.evaluate_all("rows => rows.map(row => row.dataset.area)")) == sorted(members)
    else:
        assert active.locator(".wall-goal:visible").count() == 6
    assert errors == []
    page.close()


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("slide", ["map", "hotspots"])
def test_wfb001b_in_english_and_dark_the_six_provinces_long_names_fit_too(
    live_server, browser, tmp_path, slide, width, height
):
    url = f"{live_server}/wall?cluster=10&slides={slide}&lang=en&theme=dark"
    page, errors = open_wall(browser, url, width, height)
    shots = tmp_path / "wall_shots"
    shots.mkdir()
    page.screenshot(path=str(shots / f"cluster-10-{slide}-en-dark-{width}x{height}.png"))
    assert_readable(page, height)
    active = page.locator(".wall-slide.active")
    assert active.get_by_text("Phra Nakhon Si Ayutthaya", exact=True).count() >= 1
    if slide == "map":
        assert [active.locator(".wall-map-ranks .wall-label").nth(i).inner_text() for i in range(2)] == [
            "Best",
            "Needs attention",
        ]
    assert errors == []
    page.close()


@pytest.mark.parametrize("width,height", SIZES)
@pytest.mark.parametrize("slide", ["map", "trends", "hotspots"])
def test_wfb002_a_province_wall_fits_legibly_and_its_figures_are_described(
    live_server, browser, tmp_path, slide, width, height
):
    page, errors = open_wall(browser, f"{live_server}/wall?province=50&slides={slide}", width, height)
    shots = tmp_path / "wall_shots"
    shots.mkdir()
    page.screenshot(path=str(shots / f"province-50-{slide}-{width}x{height}.png"))
    assert_readable(page, height)
    figures = page.locator(".wall-slide.active .wall-figure")
    if slide == "hotspots":
        assert page.locator(".wall-slide.active .wall-hot-row:visible").count() >= 3
    else:  # each figure an image to a screen reader, with a Thai sentence of what it shows
        assert figures.count() == (1 if slide == "map" else 4)
        for index in range(figures.count()):
            box = figures.nth(index)
            assert box.get_attribute("role") == "img"
            label = box.get_attribute("aria-label")
            assert label and re.search(r"[\u0e00-\u0e7f]", label) and re.search(r"\d", label), label
            assert box.locator(".main-svg").count() >= 1
    assert errors == []
    page.close()


# the radar and the heatmap on the cluster page: ring numbers, goal names, legend, KPI names
CLUSTER_FIGURES = """() => {
  const radar = document.querySelector('#goal-radar');
  const circle = radar.querySelector('.plotbg path').getBoundingClientRect();
  const centre = {x: (circle.left + circle.right) / 2, y: (circle.top + circle.bottom) / 2}, radius = circle.width / 2;
  const shown = (selector, root) => Array.from(root.querySelectorAll(selector)).filter((t) => t.textContent.trim());
  const radialNumbers = shown('.radial-axis text', radar).length;
  const goals = shown('.angular-axis text', radar);
  const outside = [], overlaps = [];
  for (const text of goals) {
    const box = text.getBoundingClientRect();
    const dx = Math.max(box.left - centre.x, 0, centre.x - box.right), dy = Math.max(box.top - centre.y, 0, centre.y - box.bottom);
    if (Math.hypot(dx, dy) < radius - 1) outside.push('inside the circle: ' + text.textContent);
  }
  const texts = shown('text', radar);
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i].getBoundingClientRect(), b = texts[j].getBoundingClientRect();
    if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1)
      overlaps.push(texts[i].textContent + ' / ' + texts[j].textContent);
  }
  const svgBox = radar.querySelector('.main-svg').getBoundingClientRect();
  for (const text of texts) {
    const box = text.getBoundingClientRect();
    if (box.left < svgBox.left - 1 || box.right > svgBox.right + 1 || box.top < svgBox.top - 1 || box.bottom > svgBox.bottom + 1)
      outside.push('cut: ' + text.textContent);
  }
  const heat = document.querySelector('#cluster-heatmap');
  const heatBox = heat.querySelector('.main-svg').getBoundingClientRect();
  const names = shown('.yaxislayer-above text', heat).map((t) => [t.textContent, t.getBoundingClientRect()]);
  const cut = names.filter(([, box]) => box.left < heatBox.left - 1).map(([name]) => name);
  return {radialNumbers, goals: goals.length, texts: texts.length, outside, overlaps, names: names.map(([name]) => name), cut};
}"""


@pytest.mark.parametrize("cluster,count", [("18", 2), ("10", 6)])
def test_wfb003_the_cluster_radar_has_no_numbers_on_its_shapes_and_the_heatmap_whole_names(
    live_server, browser, tmp_path, cluster, count
):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server}/cluster/{cluster}?period=2569")
    page.wait_for_selector("#goal-radar .angular-axis text")
    page.wait_for_selector("#cluster-heatmap .main-svg .yaxislayer-above text")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(tmp_path / f"cluster-{cluster}.png"), full_page=True)
    found = page.evaluate(CLUSTER_FIGURES)
    assert found["radialNumbers"] == 0 and found["goals"] == 6
    assert found["outside"] == [] and found["overlaps"] == [] and found["texts"] >= 6 + count + 1
    assert page.locator("#goal-radar .legend .traces").count() == count
    assert page.locator("#goal-radar text", has_text="คะแนน 1–5 จากจุดกลางถึงขอบนอก").count() == 1
    assert found["cut"] == [] and len(found["names"]) >= 40
    assert not any("…" in name for name in found["names"])
    page.close()
