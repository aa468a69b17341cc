"""Wall-screen memory benchmark: does the browser's memory stay flat over 1,000 rotations?

Serves the app on a small demo store (every province, Chiang Mai's districts), opens
/wall?province=50 in headless Chromium with the rotation sped up to milliseconds, and reads
the JS heap through the DevTools protocol after a forced garbage collection
(`HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage` and `Performance.getMetrics`):
at the start, after the first round (the baseline), and after every 100 rotations. Every 100
rotations it also forces a full redraw of every slide (as a data refresh does), so figures
being drawn and purged again are measured too. It prints the growth against the baseline and
the target, and exits 1 when the target is missed.

The screen is signed in as a real wall screen is (issue 18): a kiosk token for Chiang Mai (50)
is made in the store (`bench/signed_in.py`), and the browser opens `/wall?token=…&province=50…`
once; the app signs it in and redirects it to the same wall without the token. Every answer of
the app but that redirect that is not a 2xx or 304 is counted (there must be none: a 401 from
/wall/data would leave the screen drawing nothing).

    python bench/wall_bench.py [--rotations 1000] [--interval-ms 25] [--target-mib 1.0]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import machine  # noqa: E402
import signed_in  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MIB = 1024 * 1024


def build_store(url: str) -> None:
    """Demo values of every province and of Chiang Mai's districts (as the browser tests use)."""
    import datetime as dt

    from data.rules.catalog import get_catalog
    from data.store.areas import area_frame
    from data.store.demo import demo_plan, generate_demo_frame
    from data.store.engine import make_engine
    from data.store.setup import init_store, logged_import
    from data.store.values import write_values

    catalog = get_catalog()
    engine = make_engine(url)
    init_store(engine, catalog, ROOT / "data" / "clusters.yaml")
    with engine.connect() as connection:
        areas = area_frame(connection)
    frame = generate_demo_frame(catalog, areas, demo_plan(dt.date(2026, 11, 21)))
    codes = frame["area_code"]
    frame = frame[(codes.str.len() == 2) | ((codes.str.len() == 4) & (codes.str[:2] == "50"))].reset_index(drop=True)
    with logged_import(engine, "demo", "wall bench demo", "bench") as (connection, counts):
        counts.update(rows_read=len(frame), **write_values(connection, frame, counts["import_id"], "bench"))
    engine.dispose()


def heap(session) -> dict[str, float]:
    """JS heap in use after a full garbage collection, and the number of DOM nodes."""
    session.send("HeapProfiler.collectGarbage")
    session.send("HeapProfiler.collectGarbage")
    usage = session.send("Runtime.getHeapUsage")
    metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    return {
        "used": usage["usedSize"],
        "heap": metrics.get("JSHeapUsedSize", 0.0),
        "nodes": metrics.get("Nodes", 0.0),
        "listeners": metrics.get("JSEventListeners", 0.0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rotations", type=int, default=1000)
    parser.add_argument("--interval-ms", type=int, default=25, help="time per slide (sped up for the measurement)")
    parser.add_argument("--target-mib", type=float, default=1.0, help="allowed JS heap growth over the baseline")
    parser.add_argument("--database-url", help="use this store instead of building a demo store")
    parser.add_argument("--no-redraw", action="store_true", help="rotate only; do not redraw every 100 rotations")
    args = parser.parse_args()
    print(machine.describe(), flush=True)

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    folder = tempfile.TemporaryDirectory(prefix="wall_bench_")
    url = args.database_url or f"sqlite:///{Path(folder.name) / 'demo.sqlite'}"
    os.environ["DATABASE_URL"] = url  # before anything reads the settings
    if not args.database_url:
        print("building a demo store …", flush=True)
        build_store(url)
    token = signed_in.kiosk_token(url, "50", label="wall bench")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from app import create_app

    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    slides = "goals,exceptions,map,trends,hotspots"
    page_url = f"{base}/wall?province=50&slides={slides}&interval_ms={args.interval_ms}"
    token_url = f"{base}/wall?token={token}&province=50&slides={slides}&interval_ms={args.interval_ms}"
    rounds_of = len(slides.split(","))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.set_default_timeout(600_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        answers = {"ok": 0, "data": 0, "signed in": 0}
        not_ok: list[str] = []

        def answered(response) -> None:
            path = response.url.split("?", 1)[0].removeprefix(base)
            if not response.url.startswith(base):
                return
            if response.status == 303 and "token=" in response.url and answers["signed in"] == 0:
                answers["signed in"] += 1  # the kiosk sign-in's own redirect
            elif 200 <= response.status < 300 or response.status == 304:
                answers["ok"] += 1
                answers["data"] += path == "/wall/data"
            else:
                not_ok.append(f"{response.status} {path}")

        page.on("response", answered)
        session = page.context.new_cdp_session(page)
        session.send("Performance.enable")
        session.send("HeapProfiler.enable")
        page.goto(token_url)  # signed in by the kiosk token, then redirected to page_url
        landed = urlsplit(page.url)
        if (
            landed.path != "/wall"
            or "token" in parse_qs(landed.query)
            or parse_qs(landed.query).get("province") != ["50"]
        ):
            raise SystemExit(f"the kiosk token did not lead to the wall: {page.url.replace(token, '…')}")
        page.wait_for_function("() => window.pocWall && window.pocWall.renders > 0")
        start = heap(session)
        print(f"wall screen {page_url} (signed in by a kiosk token for 50)")
        print(
            f"{args.rotations} rotations of {args.interval_ms} ms ({rounds_of} slides a round), heap after GC; "
            f"target: growth ≤ {args.target_mib:.1f} MiB over the baseline after the first round"
        )
        print(
            f"{'rotations':>10} {'JS heap MiB':>12} {'growth MiB':>11} {'DOM nodes':>10} {'listeners':>10} {'redraws':>8}"
        )

        def report(label: str, figures: dict, baseline: dict | None) -> None:
            growth = "" if baseline is None else f"{(figures['used'] - baseline['used']) / MIB:+.2f}"
            renders = page.evaluate("window.pocWall.renders")
            print(
                f"{label:>10} {figures['used'] / MIB:12.2f} {growth:>11} {figures['nodes']:10.0f} "
                f"{figures['listeners']:10.0f} {renders:8d}",
                flush=True,
            )

        report("start", start, None)
        page.wait_for_function(f"() => window.pocWall.rotations >= {rounds_of}")
        baseline = heap(session)
        report(f"{rounds_of} (base)", baseline, None)
        results = []
        for checkpoint in range(100, args.rotations + 1, 100):
            page.wait_for_function(f"() => window.pocWall.rotations >= {checkpoint}")
            if not args.no_redraw:
                page.evaluate("window.pocWall.refresh(true)")  # redraw every slide, as a data refresh does
            figures = heap(session)
            results.append(figures)
            report(str(checkpoint), figures, baseline)
        browser.close()
    server.shutdown()
    folder.cleanup()

    final = results[-1] if results else baseline
    growth = (final["used"] - baseline["used"]) / MIB
    passed = growth <= args.target_mib and not errors and not not_ok
    print(
        f"JS heap: start {start['used'] / MIB:.2f} MiB, baseline {baseline['used'] / MIB:.2f} MiB, "
        f"after {args.rotations} rotations {final['used'] / MIB:.2f} MiB: growth {growth:+.2f} MiB "
        f"(target ≤ {args.target_mib:.1f} MiB) — {'PASS' if passed else 'FAIL'}; "
        f"DOM nodes {baseline['nodes']:.0f} → {final['nodes']:.0f}; console errors: {len(errors)}"
    )
    print(
        f"answers: kiosk sign-in redirect {answers['signed in']}, 2xx/304 {answers['ok']} "
        f"(/wall/data {answers['data']}), other {len(not_ok)}" + (f" {not_ok[:5]}" if not_ok else "")
    )
    for error in errors[:5]:
        print("  console error:", error)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
