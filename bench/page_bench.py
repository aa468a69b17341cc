"""Benchmark of the dashboard pages in headless Chromium, at the scale of the query benchmark.

    python bench/page_bench.py [--scale 1.0] [--keep-db PATH] [--port 8766] [--repeats 3]

The store is the query benchmark's (`bench/query_bench.py`: 60 generated KPIs, 77 provinces +
928 districts + 7,436 subdistricts x 40 quarters, about 20 M values; `--keep-db` reuses a file
that benchmark kept), with the real province and district boundaries of `../shared/geo/`
imported when present (else the app's tile grid). The app runs in a separate process (the
Flask server `poc serve` uses) and Debian's Chromium (`/usr/bin/chromium`) loads each page.

Every page is loaded signed in, as its users see it (issue 18: without a session the app only
redirects to /login): the bench makes a `poc_admin` account of the whole country in the store
(`bench/signed_in.py`), signs in once through the real /login form, and puts the session's
cookies (`poc_session`, `_csrf_token`) into every browser context it makes. Cookies are not the
browser's cache: a new context with them still has an empty cache. Every answer of the app that
is not a 2xx (or a 304) is counted and printed; there must be none. Measured:

* first render: from navigation start to the page's main content drawn (its map, table or
  heading in the DOM), for the first visit after the server started (query cache cold) and for
  repeat visits (warm; p50 of `--repeats`), each with an empty browser cache. The first visit
  is the baseline the repeat visits are compared with in the same run. For information, the
  same page in a browser that has seen the app (scripts from its HTTP cache, as on the wall
  screen or a desk that uses the dashboard daily; p50 of `--repeats`);
* bytes on the wire: every response's encoded size (Chromium's own count), the page's
  requests, and the size of the page's layout payload (the Dash callback that renders it);
* interactions: a click on a link or a change of a selector, each measured as the server time
  of the callbacks it triggers (request sent to first response byte, Chromium's timing);
* requests to any host but the app's (there must be none);
* answers of the app other than 2xx or 304 (a redirect to /login, a 401 or 403: there must be none).

Targets (2-core machine): first render <= 1.5 s, server time per interaction <= 300 ms, the
national district map <= 1.5 MB on the wire. Prints PASS/FAIL; always exits 0.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
import query_bench as qb  # noqa: E402
import query_bench_data as gen  # noqa: E402
import signed_in  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = ROOT.parent / "shared" / "geo"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RENDER_TARGET_MS = 1500.0
INTERACTION_TARGET_MS = 300.0
DISTRICT_MAP_TARGET_MB = 1.5
VIEWPORT = {"width": 1600, "height": 1000}


@dataclass
class Visit:
    render_ms: float
    wire_bytes: int
    requests: int
    layout_bytes: int
    foreign: set[str] = field(default_factory=set)
    not_ok: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def import_boundaries_once(url: str) -> str:
    """Province and district boundaries from ../shared/geo, unless the store already has them."""
    from sqlalchemy import func, select

    from data.store.boundary_import import import_boundaries
    from data.store.engine import make_engine
    from data.store.schema import Boundary

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            have = connection.execute(select(func.count()).select_from(Boundary)).scalar_one()
        if have:
            return f"boundaries: {have:,} already in the store"
        files = [SHARED_GEO / "thailand_provinces_adm1.geojson", SHARED_GEO / "thailand_districts_adm2.geojson"]
        if not all(path.exists() for path in files):
            return "boundaries: ../shared/geo absent, the app draws its tile grid"
        for path in files:
            import_boundaries(engine, path, imported_by="page-bench")
        return "boundaries: provinces and districts imported from ../shared/geo"
    finally:
        engine.dispose()


def start_server(url: str, catalog_path: Path, port: int, password: str) -> tuple[subprocess.Popen, dict[str, str]]:
    """The app serving `url`, and the cookies of a session signed in through its /login form
    (ready when a signed-in /_dash-layout answers 200)."""
    env = dict(os.environ, DATABASE_URL=url, POC_CATALOG=str(catalog_path), POC_LANGUAGE="th")
    env.pop("REDIS_URL", None)
    code = (
        "import logging; logging.getLogger('werkzeug').setLevel(logging.WARNING)\n"
        "from app import create_app\n"
        f"create_app().run(host='127.0.0.1', port={port}, debug=False, threaded=True)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    cookies: dict[str, str] = {}
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the app did not start: {process.stderr.read().decode()[-2000:]}")
        try:
            cookies = cookies or signed_in.sign_in(base, signed_in.NAME, password, timeout=10)
            probe = urllib.request.Request(f"{base}/_dash-layout", headers=signed_in.headers(cookies))
            with urllib.request.urlopen(probe, timeout=10) as response:
                if response.status == 200:
                    return process, cookies
        except signed_in.SignInFailed as exc:
            process.kill()
            raise SystemExit(f"signing in failed: {exc}") from None
        except urllib.error.HTTPError as exc:  # answered, but not signed in: no retry will help
            process.kill()
            raise SystemExit(f"the signed-in /_dash-layout answered {exc.code}") from None
        except OSError:  # not listening yet
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the app did not answer within 120 s")


class Recorder:
    """Bytes, requests, callback server times and foreign hosts of one page, through CDP."""

    def __init__(self, context, page, host: str) -> None:
        self.host = host
        self.session = context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.bytes = 0
        self.requests = 0
        self.foreign: set[str] = set()
        self.callback_ms: list[float] = []
        self.layout_bytes = 0
        self.not_ok: list[str] = []  # answers of the app other than 2xx and 304: "status path"
        self._urls: dict[str, str] = {}
        self.session.on("Network.requestWillBeSent", self._sent)
        self.session.on("Network.responseReceived", self._received)
        self.session.on("Network.loadingFinished", self._finished)

    def _sent(self, event) -> None:
        url = event["request"]["url"]
        self._urls[event["requestId"]] = url
        self.requests += 1
        host = urlsplit(url).hostname
        if url.startswith("http") and host != self.host:
            self.foreign.add(host or url)
        if "redirectResponse" in event:  # a redirect (to /login when the session is missing)
            self._answered(event["redirectResponse"])

    def _answered(self, response) -> None:
        status = int(response.get("status", 0))
        parts = urlsplit(response.get("url", ""))
        if parts.hostname == self.host and not (200 <= status < 300 or status == 304):
            self.not_ok.append(f"{status} {parts.path}")

    def _received(self, event) -> None:
        self._answered(event["response"])
        timing = event["response"].get("timing")
        if timing and "_dash-update-component" in event["response"]["url"]:
            self.callback_ms.append(timing["receiveHeadersEnd"] - timing["sendEnd"])

    def _finished(self, event) -> None:
        size = int(event.get("encodedDataLength", 0))
        self.bytes += size
        if "_dash-update-component" in self._urls.get(event["requestId"], ""):
            self.layout_bytes = max(self.layout_bytes, size)

    def reset(self) -> None:
        self.bytes = self.requests = self.layout_bytes = 0
        self.callback_ms = []
        self.not_ok = []


def rendered_ms(page, selector: str) -> float:
    """ms from navigation start until `selector` is in the DOM (polled every animation frame)."""
    handle = page.wait_for_function(
        "sel => { const el = document.querySelector(sel); return el ? performance.now() : false; }",
        arg=selector,
        polling="raf",
        timeout=60_000,
    )
    return float(handle.json_value())


def visit(browser, base: str, path: str, selector: str, cookies: dict[str, str], context=None) -> Visit:
    """One signed-in visit; in a new context (an empty browser cache: every byte counts) with the
    session's `cookies`, unless `context` is given (a browser that has seen the app: its scripts
    come from the HTTP cache)."""
    own = context is None
    context = context or signed_in.new_context(browser, base, cookies, viewport=VIEWPORT)
    page = context.new_page()
    recorder = Recorder(context, page, "127.0.0.1")
    page.goto(base + path, wait_until="commit")
    render = rendered_ms(page, selector)
    page.wait_for_load_state("networkidle")
    result = Visit(render, recorder.bytes, recorder.requests, recorder.layout_bytes, recorder.foreign, recorder.not_ok)
    page.close()
    if own:
        context.close()
    return result


def _renders_page(response) -> bool:
    return "_dash-update-component" in response.url and "_pages_content" in (response.request.post_data or "")


def interact(page, recorder: Recorder, action, done_selector: str) -> float:
    """Server time (sum over the callbacks it triggers) of one click or selector change. Every
    step changes the URL, so it waits for the page's own callback to answer before looking for
    `done_selector` (which may be on the page already): a step is never timed on the callbacks
    of the one before."""
    recorder.reset()
    with page.expect_response(_renders_page, timeout=60_000):
        action(page)
    page.wait_for_selector(done_selector, timeout=60_000)
    page.wait_for_load_state("networkidle")
    return sum(recorder.callback_ms)


def change_url(path: str):
    """What a selector does: write the new value into the URL, which the page re-renders from."""

    def action(page) -> None:
        page.evaluate(
            "p => { window.history.pushState({}, '', p); window.dispatchEvent(new PopStateEvent('popstate')); }", path
        )

    return action


def click(selector: str):
    def action(page) -> None:
        page.locator(selector).first.click()

    return action


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep-db", type=Path, help="SQLite file to keep and reuse (the query benchmark's too)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument("--missing", type=float, default=0.01)
    args = parser.parse_args(argv)
    print(machine.describe(), flush=True)
    if not os.path.exists(CHROMIUM):
        print(f"no Chromium at {CHROMIUM}: apt-get install chromium")
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="poc-pbench-") as folder:
        catalog_text = gen.catalog_yaml(args.seed)
        catalog_path = Path(folder) / "bench_kpis.yaml"
        catalog_path.write_text(catalog_text, encoding="utf-8")
        catalog = qb.use_catalog(catalog_path)
        plan = gen.Plan(args.scale, args.seed, args.missing, qb.LAST_FISCAL_YEAR)
        path = args.keep_db.resolve() if args.keep_db else Path(folder) / "bench.sqlite"
        engine = qb.prepare_sqlite(path, plan, args.seed, catalog, catalog_text)
        engine.dispose()
        url = f"sqlite:///{path}"
        print(import_boundaries_once(url), flush=True)
        password = signed_in.ensure_account(url)
        kpi = next(k for k in catalog.kpis if k.id != gen.POPULATION and k.scored)
        period = f"{qb.LAST_FISCAL_YEAR}Q4"
        pages = [
            ("overview", f"/?period={period}", "#overview .choroplethlayer path"),
            ("overview, a KPI", f"/?period={period}&show=kpi:{kpi.id}", "#overview .choroplethlayer path"),
            (
                "national district map",
                f"/?period={period}&show=kpi:{kpi.id}&level=district",
                "#overview .choroplethlayer path",
            ),
            ("province scorecard", f"/province/50?period={period}", "#scorecard .choroplethlayer path"),
            ("district", f"/district/5001?period={period}", "#district-kpis"),
            ("cluster", f"/cluster/1?period={period}", "#cluster-heatmap .heatmaplayer"),
            ("KPI", f"/kpi/{kpi.id}?period={period}", "#kpi-distribution-table table"),
            ("data status", "/data", "h1"),
        ]
        port = args.port or free_port()
        server, cookies = start_server(url, catalog_path, port, password)
        base = f"http://127.0.0.1:{port}"
        print(f"signed in through /login as {signed_in.NAME} ({signed_in.ROLE} of {signed_in.AREA})", flush=True)
        rows = []
        failed: list[tuple[str, str]] = []
        interactions = []
        not_ok_all: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                for label, page_path, selector in pages:
                    try:
                        first = visit(browser, base, page_path, selector, cookies)
                        again = [visit(browser, base, page_path, selector, cookies) for _ in range(args.repeats)]
                        cached = signed_in.new_context(browser, base, cookies, viewport=VIEWPORT)
                        visit(browser, base, page_path, selector, cookies, cached)  # fills its HTTP cache
                        revisits = [
                            visit(browser, base, page_path, selector, cookies, cached) for _ in range(args.repeats)
                        ]
                        cached.close()
                    except Exception as exc:  # a page that never renders is a result, not a crash
                        failed.append((label, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"))
                        print(f"  {label:<22} did not render: {failed[-1][1]}", flush=True)
                        continue
                    rows.append((label, page_path, first, again, revisits))
                    not_ok = [answer for v in [first, *again, *revisits] for answer in v.not_ok]
                    not_ok_all.extend(f"{label}: {answer}" for answer in not_ok)
                    print(
                        f"  {label:<22} first {first.render_ms:7,.0f} ms  repeat p50 "
                        f"{statistics.median(v.render_ms for v in again):7,.0f} ms  cached p50 "
                        f"{statistics.median(v.render_ms for v in revisits):7,.0f} ms  "
                        f"{first.wire_bytes / 1e6:6.2f} MB in {first.requests} requests "
                        f"(layout {first.layout_bytes / 1e6:.2f} MB); non-2xx answers {len(not_ok)}"
                        + (f" {not_ok[:3]}" if not_ok else ""),
                        flush=True,
                    )

                context = signed_in.new_context(browser, base, cookies, viewport=VIEWPORT)
                page = context.new_page()
                recorder = Recorder(context, page, "127.0.0.1")
                page.goto(f"{base}/?period={period}")
                page.wait_for_selector("#overview .choroplethlayer path", timeout=60_000)
                page.wait_for_load_state("networkidle")
                steps = [
                    ("overview: choose a goal", click("#national-goal-G2"), "#national-goal-G2.active"),
                    (
                        "overview: choose another period",
                        change_url(f"/?period={qb.LAST_FISCAL_YEAR}Q3&show=G2"),
                        "#overview .choroplethlayer path",
                    ),
                    ("overview: click a province", click("#cluster-1 a.province-chip"), "#scorecard"),
                    ("scorecard: worst first", click("#sort-worst"), "#sort-worst.active"),
                    ("scorecard: open a district", change_url(f"/district/5001?period={period}"), "#district-kpis"),
                    ("district: breadcrumb to cluster", click("#breadcrumb a[href^='/cluster/']"), "#cluster-heatmap"),
                    (
                        "cluster: choose a KPI",
                        change_url(f"/cluster/1?period={period}&show=kpi:{kpi.id}"),
                        "#cluster-ranks",
                    ),
                    ("open a KPI page", change_url(f"/kpi/{kpi.id}?period={period}"), "#kpi-distribution-table"),
                    (
                        "KPI: choose a province",
                        change_url(f"/kpi/{kpi.id}?period={period}&area=50"),
                        "#kpi-distribution-table",
                    ),
                ]
                not_ok_all.extend(f"interactions' first page: {answer}" for answer in recorder.not_ok)
                for label, action, done in steps:
                    try:
                        interactions.append((label, interact(page, recorder, action, done)))
                    except Exception as exc:  # report, go on with the next step
                        interactions.append((label, None))
                        print(f"  {label}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                    else:
                        print(
                            f"  interaction {label:<34} server {interactions[-1][1]:6,.0f} ms"
                            + (f"  non-2xx answers {recorder.not_ok[:3]}" if recorder.not_ok else ""),
                            flush=True,
                        )
                    not_ok_all.extend(f"{label}: {answer}" for answer in recorder.not_ok)
                foreign = recorder.foreign | {
                    h for _, _, first, again, revisits in rows for v in [first, *again, *revisits] for h in v.foreign
                }
                context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)

    print("targets:")
    for label, page_path, first, again, revisits in rows:
        repeat = statistics.median(v.render_ms for v in again)
        cached = statistics.median(v.render_ms for v in revisits)
        verdict = "PASS" if max(first.render_ms, repeat) <= RENDER_TARGET_MS else "FAIL"
        print(
            f"  {verdict}  render {label}: first visit {first.render_ms:,.0f} ms (cache cold), repeat "
            f"{repeat:,.0f} ms (warm: {first.render_ms / max(repeat, 1):.1f}x faster) <= {RENDER_TARGET_MS:,.0f} ms; "
            f"{first.wire_bytes / 1e6:.2f} MB on the wire; with the browser's cache {cached:,.0f} ms, "
            f"{statistics.median(v.wire_bytes for v in revisits) / 1e6:.2f} MB"
        )
    for label, reason in failed:
        print(f"  FAIL  render {label}: did not render ({reason})")
    district = next(first for label, _, first, _, _ in rows if label == "national district map")
    print(
        f"  {'PASS' if district.layout_bytes / 1e6 <= DISTRICT_MAP_TARGET_MB else 'FAIL'}  national district map: "
        f"{district.layout_bytes / 1e6:.2f} MB on the wire for the map's page content "
        f"(<= {DISTRICT_MAP_TARGET_MB} MB); whole first visit {district.wire_bytes / 1e6:.2f} MB with the app's scripts"
    )
    for label, ms in interactions:
        verdict = "FAIL" if ms is None or ms > INTERACTION_TARGET_MS else "PASS"
        shown = "did not complete" if ms is None else f"{ms:,.0f} ms"
        print(f"  {verdict}  interaction {label}: server time {shown} (<= {INTERACTION_TARGET_MS:,.0f} ms)")
    print(f"  {'PASS' if not foreign else 'FAIL'}  requests beyond the app's host: {sorted(foreign) or 'none'}")
    print(
        f"  {'PASS' if not not_ok_all else 'FAIL'}  answers of the app other than 2xx/304 (signed in): "
        f"{len(not_ok_all)}" + (f" {not_ok_all[:5]}" if not_ok_all else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
