"""The cluster page's heatmap (provinces × KPIs, a panel per goal) on a desk (1440 px) and on a
phone (390 px), for a cluster of four (1) and of six (10), in headless Chromium against
`live_server`: no two of its texts overlap (the glyph boxes of the SVG's texts, turned as they are
drawn: the provinces' names rise at 45°), each lies inside the figure, the figure inside its
scroll box, every goal's title and every province's name whole, and the page never scrolls
sideways. On the phone the figure keeps the width its labels need and scrolls sideways in its own
box, a named region the keyboard reaches; on the desk it fits its card. Screenshots go to a
folder under each test's tmp_path."""

from __future__ import annotations

import pytest

from browser_support import TIMEOUT_MS
from layouts.text.i18n import GOAL_NAMES

MEMBERS = {"1": ["เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"], "10": ["สิงห์บุรี", "ชัยนาท", "สระบุรี"]}

# Every non-empty text of the heatmap's SVG as the four corners of its box on the screen (its
# bounding box in its own coordinates, through its transform: a turned label is a turned box), the
# pairs of different texts whose boxes overlap by more than 1.5 px (separating axes), and the texts
# whose corners leave the figure; and the figure's box against its scroll box's scrolled extent.
HEATMAP_GEOMETRY = """() => {
  const heat = document.querySelector('#cluster-heatmap');
  const svg = heat.querySelector('.main-svg').getBoundingClientRect();
  const region = heat.querySelector('[role=region]');
  const texts = Array.from(heat.querySelectorAll('.main-svg text, .infolayer text'))
    .filter((t) => t.textContent.trim() && t.checkVisibility({visibilityProperty: true, opacityProperty: true}));
  const quads = texts.map((text) => {
    const b = text.getBBox(), m = text.getScreenCTM();
    const point = (x, y) => ({x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f});
    return {text: text.textContent.trim(),
            corners: [point(b.x, b.y), point(b.x + b.width, b.y), point(b.x + b.width, b.y + b.height), point(b.x, b.y + b.height)]};
  });
  const axes = (q) => [0, 1].map((i) => {
    const a = q.corners[i], b = q.corners[i + 1], length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    return {x: -(b.y - a.y) / length, y: (b.x - a.x) / length};
  });
  const span = (q, axis) => {
    const values = q.corners.map((c) => c.x * axis.x + c.y * axis.y);
    return [Math.min(...values), Math.max(...values)];
  };
  const overlap = (p, q) => [...axes(p), ...axes(q)].every((axis) => {
    const [a0, a1] = span(p, axis), [b0, b1] = span(q, axis);
    return Math.min(a1, b1) - Math.max(a0, b0) > 1.5;
  });
  const problems = [];
  for (let i = 0; i < quads.length; i++) {
    for (let j = i + 1; j < quads.length; j++)
      if (overlap(quads[i], quads[j])) problems.push('overlap: "' + quads[i].text + '" and "' + quads[j].text + '"');
    if (quads[i].corners.some((c) => c.x < svg.left - 1 || c.x > svg.right + 1 || c.y < svg.top - 1 || c.y > svg.bottom + 1))
      problems.push('outside the figure: "' + quads[i].text + '"');
  }
  const box = region.getBoundingClientRect();
  if (svg.left < box.left - 1 || svg.left + svg.width > box.left + region.scrollWidth + 1)
    problems.push('the figure is wider than its scroll box');
  return {problems, texts: quads.map((q) => q.text), count: quads.length,
          region: {scrollWidth: region.scrollWidth, clientWidth: region.clientWidth, tabIndex: region.tabIndex,
                   label: region.getAttribute('aria-label')},
          page: [document.documentElement.scrollWidth, window.innerWidth]};
}"""


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("cluster", ["1", "10"])
def test_chb001_the_heatmaps_texts_are_whole_apart_and_inside_the_figure_on_a_desk_and_a_phone(
    live_server, browser, tmp_path, cluster, width
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server}/cluster/{cluster}?period=2569")
    page.wait_for_selector("#cluster-heatmap .main-svg .yaxislayer-above text")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)  # the responsive graph's last redraw at its width
    shots = tmp_path / "cluster_heatmap"
    shots.mkdir()
    page.screenshot(path=str(shots / f"cluster-{cluster}-{width}.png"), full_page=True)
    found = page.evaluate(HEATMAP_GEOMETRY)
    assert found["problems"] == [], found["problems"][:10]
    assert found["count"] > 100  # the check saw the names, the titles and the cells' scores
    titles = [f"{goal} {names[0]}" for goal, names in GOAL_NAMES.items()]
    assert [text for text in found["texts"] if text[:2] in GOAL_NAMES] == titles  # every goal's title whole
    for name in MEMBERS[cluster]:
        assert name in found["texts"]  # over the columns, whole
    assert not any("…" in text for text in found["texts"])
    page_width, screen = found["page"]
    assert page_width <= screen  # the page never scrolls sideways
    region = found["region"]
    assert region["tabIndex"] == 0 and region["label"] == "คะแนนตัวชี้วัดรายจังหวัด แยกตามเป้าหมาย"
    if width == 390:  # the figure keeps its width and scrolls in its box
        assert region["scrollWidth"] > region["clientWidth"] + 200
        region_box = page.locator("#cluster-heatmap-scroll")
        region_box.focus()
        page.keyboard.press("ArrowRight")
        # the keyboard scrolls it (smoothly: wait for it to move)
        page.wait_for_function("() => document.querySelector('#cluster-heatmap-scroll').scrollLeft > 0")
        region_box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
        region_box.screenshot(path=str(shots / f"cluster-{cluster}-{width}-scrolled.png"))
    else:  # on a desk the whole figure shows in its card
        assert region["scrollWidth"] <= region["clientWidth"] + 1
    page.close()
