"""The wall screen in headless Chromium against `poc serve` in a subprocess (so the backend can
be killed and restarted on the same port): it fills 1920×1080 and 3840×2160 with no scrollbar
and no text outside its box, in Thai and English, light and dark; the playlist rotates round
after round; a dead backend brings up the stale badge over the last good data and the screen
recovers by itself; nothing is fetched from anywhere but the app; no console errors.

Screenshots go to $WALL_SCREENSHOTS (default: the test's temporary folder), one per case."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import SCROLLBARS_SHOWN
from data.query import goal_summary
from data.store.engine import make_engine
from helpers import session_cookie, session_headers
from layouts.text.format import format_score

CHROMIUM_FLAGS = SCROLLBARS_SHOWN  # the `browser` fixture's launch: the wall must fit without scrollbars
TIMEOUT_MS = 60_000
START_SECONDS = 120

# every visible HTML element that holds text: does its text fit its box, and is the box inside
# the screen and inside the nearest ancestor that clips? (figures are checked as boxes)
OVERFLOW_CHECK = """() => {
  const problems = [];
  const inside = (inner, outer) => inner.left >= outer.left - 1 && inner.top >= outer.top - 1 &&
                                    inner.right <= outer.right + 1 && inner.bottom <= outer.bottom + 1;
  const screen = {left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight};
  for (const element of document.querySelectorAll('#wall *')) {
    if (!(element instanceof HTMLElement) || element.closest('.wall-plot')) continue;
    if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const label = (element.className || element.tagName) + ' "' + (element.innerText || '').slice(0, 40) + '"';
    if (!inside(box, screen)) problems.push('outside the screen: ' + label);
    const hasText = Array.from(element.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!hasText) continue;
    const style = getComputedStyle(element);
    if (style.display !== 'inline' && element.scrollWidth > element.clientWidth + 1)
      problems.push('text wider than its box: ' + label);
    let clip = element.parentElement;
    while (clip && clip.id !== 'wall' && getComputedStyle(clip).overflow === 'visible') clip = clip.parentElement;
    if (clip && clip.id !== 'wall' && !inside(box, clip.getBoundingClientRect()))
      problems.push('cut off by ' + (clip.className || clip.tagName) + ': ' + label);
  }
  const stage = document.querySelector('.wall-slide.active .wall-slide-body');
  if (stage && stage.scrollHeight > stage.clientHeight + 1) problems.push('slide taller than the stage');
  return problems;
}"""

SMALLEST_TEXT = """() => {
  let smallest = Infinity;
  for (const element of document.querySelectorAll('#wall *')) {
    if (!(element instanceof HTMLElement) || element.closest('.wall-plot')) continue;
    if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (!Array.from(element.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
  }
  return smallest;
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Backend:
    """`poc serve` on a fixed port in a subprocess, which a test may stop and start again."""

    def __init__(self, database_url: str, port: int, log: Path):
        self.database_url, self.port, self.log = database_url, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.headers = session_headers(database_url)  # a signed-in viewer of the whole country
        SIGNED_IN.update(url=self.url, value=session_cookie(database_url))

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.database_url, "POC_LANGUAGE": "th"}
        poc = Path(sys.executable).with_name("poc")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(poc), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:  # wait for the condition: the data endpoint answers
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-2000:]
            try:
                ready = urllib.request.Request(f"{self.url}/wall/data?slides=goals", headers=self.headers)
                with urllib.request.urlopen(ready, timeout=30) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.25)
        raise AssertionError(f"the server did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture(scope="module")
def backend(demo_url, tmp_path_factory):
    """`poc serve` reading the module's demo store."""
    server = Backend(demo_url, free_port(), tmp_path_factory.mktemp("wall_browser") / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def engine(backend):
    engine = make_engine(backend.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("WALL_SCREENSHOTS") or tmp_path_factory.mktemp("wall_screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


SIGNED_IN: dict[str, str] = {}


class Watched:
    """A page with what it requested and every console error it logged."""

    def __init__(self, browser, width: int, height: int):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        if SIGNED_IN:  # the screen is signed in (a session of the store's; kiosk tokens: test_auth_browser)
            cookie = {"name": "poc_session", "value": SIGNED_IN["value"], "url": SIGNED_IN["url"]}
            self.page.context.add_cookies([cookie])
        self.page.set_default_timeout(TIMEOUT_MS)
        self.hosts: set[str] = set()
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.hosts.add(urlsplit(request.url).hostname or request.url[:30]))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open_wall(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_function("() => window.pocWall && window.pocWall.renders > 0")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.wall-slide.active')).opacity === '1'"
        )

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.inner_text()


CASES = [  # (width, height, language, theme)
    (1920, 1080, "th", "light"),
    (3840, 2160, "en", "dark"),
    (1920, 1080, "en", "dark"),
    (3840, 2160, "th", "light"),
]
SLIDE_TITLES = {
    "th": {
        "goals": "คะแนนรวมและ 6 เป้าหมาย",
        "exceptions": "ตัวชี้วัดที่ต่ำกว่าเป้าหมาย (แย่สุดก่อน)",
        "map": "ตัวชี้วัดสำคัญรายพื้นที่",
        "trends": "แนวโน้มตัวชี้วัดสำคัญ",
        "hotspots": "อำเภอที่ต้องเร่งรัด",
    },
    "en": {
        "goals": "Overall score and the six goals",
        "exceptions": "Off-target KPIs, worst first",
        "map": "Headline KPI by area",
        "trends": "Key KPI trends",
        "hotspots": "District hotspots",
    },
}


@pytest.mark.parametrize("slide", ["goals", "exceptions", "map", "trends", "hotspots"])
@pytest.mark.parametrize("width,height,language,theme", CASES)
def test_wbr001_each_slide_fills_the_screen_legibly_with_nothing_cut_off(
    backend, browser, engine, screenshots, width, height, language, theme, slide
):
    watched = Watched(browser, width, height)
    page = watched.page
    watched.open_wall(f"{backend.url}/wall?province=50&lang={language}&theme={theme}&slides={slide}")
    page.screenshot(path=str(screenshots / f"wall-{width}x{height}-{language}-{theme}-{slide}.png"))

    # no scrollbars, nothing outside its box, large type in Sarabun
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " window.innerWidth, window.innerHeight]"
    )
    assert size[0] <= size[2] and size[1] <= size[3], size
    assert page.evaluate(OVERFLOW_CHECK) == []
    assert page.evaluate("document.fonts.check('20px Sarabun')")
    assert page.evaluate("getComputedStyle(document.querySelector('.wall-area')).fontFamily").startswith("Sarabun")
    assert page.evaluate(SMALLEST_TEXT) >= 18 * height / 1080  # nothing smaller than 18 px on a 1080p screen

    # what a viewer reads on every slide: the area, the slide, the clock, the as-of date, the demo badge
    assert watched.text("#wall-area") == ("จังหวัดเชียงใหม่" if language == "th" else "Chiang Mai province")
    assert watched.text("#wall-slide-title") == SLIDE_TITLES[language][slide]
    assert re.fullmatch(r"\d\d:\d\d", watched.text("#wall-clock"))
    year = time.localtime().tm_year + (543 if language == "th" else 0)
    assert str(year) in watched.text("#wall-date") or str(year - 1) in watched.text("#wall-date")
    assert watched.text("#wall-as-of").startswith("ข้อมูลถึง " if language == "th" else "Data to ")
    assert page.locator("#wall-demo").is_visible()
    assert watched.text("#wall-demo").strip() == ("ข้อมูลสาธิต" if language == "th" else "Demo data")
    assert not page.locator("#wall-stale").is_visible()

    active = page.locator(".wall-slide.active")
    if slide == "goals":
        overall = goal_summary(engine, "50").set_index("goal").loc["ALL", "score"]
        assert active.locator("#wall-overall-score").inner_text() == format_score(overall)
        assert active.locator(".wall-goal").count() == 6
    elif slide == "exceptions":
        assert active.locator(".wall-kpi-row:visible").count() >= 3
        statuses = active.locator(".wall-kpi-row:visible .wall-pill").all_inner_texts()
        assert set(statuses) == {"ต่ำกว่าเป้าหมาย" if language == "th" else "Off target"}
        scores = [float(s) for s in active.locator(".wall-kpi-row:visible .wall-kpi-score").all_inner_texts()]
        assert scores == sorted(scores)  # worst first
    elif slide == "map":
        assert active.locator(".wall-plot .main-svg").count() >= 1
        assert (
            active.locator(".wall-plot g.ytick text", has_text="แม่ริม" if language == "th" else "Mae Rim").count() == 1
        )
    elif slide == "trends":
        assert active.locator(".wall-plot").count() == 4
    elif slide == "hotspots":
        assert active.locator(".wall-hot-row:visible").count() >= 3
    assert watched.hosts == {"127.0.0.1"}, watched.hosts
    assert watched.errors == []
    page.close()


def test_wbr002_the_playlist_rotates_round_after_round_and_the_dots_follow(backend, browser):
    watched = Watched(browser, 1920, 1080)
    page = watched.page
    watched.open_wall(f"{backend.url}/wall?cluster=1&slides=goals,exceptions,hotspots&interval_ms=700")
    titles = ["คะแนนรวมและ 6 เป้าหมาย", "ตัวชี้วัดที่ต่ำกว่าเป้าหมาย (แย่สุดก่อน)", "จังหวัดที่ต้องเร่งรัด"]
    order = ["goals", "exceptions", "hotspots"]
    seen = []
    for step in range(7):  # more than two rounds: it does not stop after one
        expected = order[(order.index(seen[-1]) + 1) % 3] if seen else None
        if expected:
            page.wait_for_function(f"() => document.querySelector('.wall-slide.active').dataset.slide === '{expected}'")
        # one snapshot of what is on screen: the slide, its dot, its title and its position
        current, dot, title, shown, counter = page.evaluate("""() => [
            document.querySelector('.wall-slide.active').dataset.slide,
            document.querySelector('.wall-dot.active').dataset.slide,
            document.querySelector('#wall-slide-title').innerText,
            document.querySelectorAll('.wall-slide.active').length,
            document.querySelector('#wall-counter').innerText]""")
        seen.append(current)
        position = order.index(current)
        assert (dot, title, shown, counter) == (current, titles[position], 1, f"{position + 1}/3")
    assert len(seen) == 7 and set(seen) == set(order)
    assert watched.text("#wall-area") == "กลุ่มจังหวัดภาคเหนือตอนบน 1"
    assert watched.errors == [] and watched.hosts == {"127.0.0.1"}
    page.close()


def test_wbr002b_a_wall_asks_with_its_etag_and_unchanged_data_answer_304(backend, browser):
    watched = Watched(browser, 1920, 1080)
    page = watched.page
    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status) if "/wall/data" in response.url else None)
    watched.open_wall(f"{backend.url}/wall?province=50&slides=goals&refresh_ms=300")
    page.wait_for_function("() => window.pocWall.notModified >= 3")  # nothing changed: no body, nothing redrawn
    renders = page.evaluate("() => window.pocWall.renders")
    assert statuses[0] == 200 and statuses.count(304) >= 3 and renders == 1
    assert not page.locator("#wall-stale").is_visible() and watched.errors == []
    page.close()


def test_wbr003_a_dead_backend_shows_stale_over_the_last_data_and_the_screen_recovers(backend, browser, engine):
    watched = Watched(browser, 1920, 1080)
    page = watched.page
    watched.open_wall(f"{backend.url}/wall?province=50&slides=goals&refresh_ms=1000")
    score = format_score(goal_summary(engine, "50").set_index("goal").loc["ALL", "score"])
    assert watched.text("#wall-overall-score") == score

    backend.stop()
    try:
        page.wait_for_selector("#wall-stale", state="visible")
        stale = watched.text("#wall-stale")
        assert re.search(r"ข้อมูลไม่อัปเดต ตั้งแต่ \d\d:\d\d", stale), stale
        # the last good data stays on screen, the clock goes on
        assert page.locator("#wall-overall-score").is_visible()
        assert watched.text("#wall-overall-score") == score
        assert watched.text("#wall-area") == "จังหวัดเชียงใหม่"
        assert page.locator(".wall-goal:visible").count() == 6
    finally:
        backend.start()
    page.wait_for_selector("#wall-stale", state="hidden")
    assert watched.text("#wall-overall-score") == score
    assert page.locator(".wall-goal:visible").count() == 6
    # only the refused connections of the outage were logged
    assert [e for e in watched.errors if "ERR_CONNECTION_REFUSED" not in e] == []
    assert watched.hosts == {"127.0.0.1"}
    page.close()


def test_wbr004_an_unknown_province_says_so_in_english(backend, browser):
    watched = Watched(browser, 1920, 1080)
    page = watched.page
    page.goto(f"{backend.url}/wall?province=99&lang=en&slides=goals")
    page.wait_for_selector(".wall-slide.active .wall-message:has-text('There is no province with code “99”')")
    assert not page.locator("#wall-stale").is_visible()
    assert [e for e in watched.errors if "404" not in e] == []  # the 404 answer itself is logged by Chromium
    page.close()
