"""Serving benchmark: `poc serve` with 2 workers on the demo store, loaded from loopback.

    python bench/serve_bench.py [--minutes 2] [--seconds 20] [--workers 2] [--skip-sqlite] [--skip-postgres]

For each store, SQLite (each worker its own query cache) and PostgreSQL + Redis (one cache for
both workers; REDIS_URL database 13), the store is made by `poc init` and `poc demo` in a
temporary file or database, and `poc serve --workers 2 --threads 4` serves it. Then:

* warm-up: 8 keep-alive connections (a connection stays with one worker, so every worker sees
  everything) each opening every page as an analyst does (below) and fetching every wall
  screen's data; each page's first draw (no cache) timed for information;
* mixed load for `--minutes`: 100 wall screens (the 77 provinces, the 18 clusters, the country,
  four in English), each fetching `/wall/data` once a minute as `assets/wall.js` does (gzip, no
  If-None-Match), starts spread over the first minute; and 20 analysts, each opening pages one
  after another (1 to 3 s apart) as a browser that has seen the app does: the page's HTML,
  `/_dash-layout`, `/_dash-dependencies`, the page callback, and one static file (the
  baseline, under the same load);
* `/wall/data` alone at 50 connections for `--seconds` (wrk from Debian, rotating over the 100
  screens; a Python client where wrk is absent), beside the same load on a static file (the
  baseline); for information also `/wall/data` with If-None-Match (304s);
* the RSS of each worker after the warm-up and at the end.

Everyone is signed in, as in use (issue 18; `bench/signed_in.py`): each of the 20 analysts has
its own account (`bench-analyst-01` … `-20`, poc_admin of TH, made in the store after
`poc demo`) and signs in once through the real /login form, then sends its session's cookies
with every request and the X-CSRFToken header with every callback POST. Each of the 100 wall
screens has its own kiosk token, for the screen's own area (its province, its cluster, or TH),
and opens `/wall?token=…&province=…` once as a real wall does; it then fetches `/wall/data`
with that kiosk session's cookie (the 50-connection runs too: each path with its screen's
cookie). The warm-up uses the analysts' sessions. Every answer but a 200 (a 304 where asked
for) counts as an error: a 302 to /login or a 401 is not a measurement of the dashboard.

Targets (2-core machine): `/wall/data` >= 300 requests/s with p99 <= 300 ms; analysts'
callbacks p95 <= 500 ms under the mixed load; 0 errors; worker RSS growth <= 10 % after the
warm-up. Prints PASS/FAIL; always exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
import signed_in  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/13"
WALL_RPS_TARGET, WALL_P99_TARGET_MS = 300.0, 300.0
CALLBACK_P95_TARGET_MS = 500.0
RSS_GROWTH_TARGET = 0.10
STATIC = "/assets/wall.js"
ANALYSTS = 20
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate", "User-Agent": "serve-bench"}
PAGES = [
    "/",
    "/?lang=en",
    "/?show=G2",
    "/data",
    "/province/10",
    "/province/50",
    "/province/50?sort=worst",
    "/province/50?lang=en",
    "/province/51",
    "/province/52",
    "/province/30",
    "/province/40",
    "/province/57",
    "/province/83",
    "/province/90",
    "/province/20",
    "/province/50?period=2568",
    "/cluster/1",
    "/cluster/3",
    "/cluster/7",
    "/cluster/12",
    "/cluster/18",
    "/cluster/1?show=G3",
    "/district/5001",
    "/district/1001",
    "/kpi/road_deaths_per_100k",
    "/kpi/gpp_per_capita",
    "/kpi/road_deaths_per_100k?lang=en",
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# =========================================================================== stores and server


def run_poc(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run([str(BIN / "poc"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"poc {' '.join(args)} failed: {result.stderr[-2000:]}")
    return time.perf_counter() - started


def bench_env(url: str, redis: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POC_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env["DATABASE_URL"] = url
    if redis:
        env["REDIS_URL"] = redis
    return env


class Server:
    def __init__(self, env: dict, port: int, workers: int, folder: Path) -> None:
        self.port = port
        self.err = folder / "serve.err"
        with open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                [
                    str(BIN / "poc"),
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                    "--threads",
                    "4",
                    "--access-log",
                    "off",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"poc serve exited: {self.err.read_text()[-2000:]}")
            try:
                if request("GET", port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit("poc serve did not answer within 120 s")

    def worker_rss(self) -> dict[int, int]:
        import psutil

        return {child.pid: child.memory_info().rss for child in psutil.Process(self.process.pid).children()}

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def request(
    method: str,
    port: int,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 30,
    connection: http.client.HTTPConnection | None = None,
):
    """(status, headers, body unpacked, seconds)."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers={**BROWSER_HEADERS, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, dict(response.getheaders()), data, elapsed
    finally:
        if own:
            connection.close()


def page_callback(path: str) -> bytes:
    pathname, _, search = path.partition("?")
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": pathname},
                {"id": "_pages_location", "property": "search", "value": f"?{search}" if search else ""},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
            "state": [],
        }
    ).encode()


# =========================================================================== the loads


def visit_steps(path: str, cookies: dict[str, str], port: int) -> list[tuple[str, str, bytes | None, dict]]:
    """What a signed-in browser that has seen the app asks for when it opens `path` (its scripts
    and styles come from its HTTP cache): the page, Dash's layout and dependencies, the page
    callback (with the session's CSRF token, as Dash's renderer sends it)."""
    get = signed_in.headers(cookies)
    post = {
        **signed_in.headers(cookies, post=True),
        "Content-Type": "application/json",
        "Origin": f"http://127.0.0.1:{port}",
    }
    return [
        ("GET", path, None, get),
        ("GET", "/_dash-layout", None, get),
        ("GET", "/_dash-dependencies", None, get),
        ("POST", "/_dash-update-component", page_callback(path), post),
    ]


@dataclass
class Screen:
    """A wall screen: its data path, the area its kiosk token is for, its kiosk session's cookies."""

    path: str
    area: str
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return signed_in.headers(self.cookies)


def analyst_name(number: int) -> str:
    return f"bench-analyst-{number + 1:02d}"


def sign_everyone_in(port: int, url: str, walls: list[Screen], passwords: dict[str, str]) -> list[dict[str, str]]:
    """Each analyst through /login once; each wall screen by its own kiosk token (made here, for
    the screen's area), opening /wall?token=… once. Returns the analysts' cookies."""
    base = f"http://127.0.0.1:{port}"
    analysts = [signed_in.sign_in(base, name, password) for name, password in passwords.items()]
    for screen in walls:
        token = signed_in.kiosk_token(url, screen.area, label=f"serve bench {screen.path}")
        screen.cookies = signed_in.kiosk_sign_in(base, token, screen.path.partition("?")[2])
    return analysts


@dataclass
class Mixed:
    wall_ms: list[float] = field(default_factory=list)
    callback_ms: list[float] = field(default_factory=list)
    static_ms: list[float] = field(default_factory=list)
    visit_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def warm_up(port: int, walls: list[Screen], analysts: list[dict[str, str]], connections: int = 8) -> list[float]:
    """Every page callback and every wall through `connections` keep-alive connections each (a
    connection stays with one worker, so every worker draws every page and wall once), each as
    one of the analysts (the walls with their own kiosk sessions); returns each page's first draw
    in ms."""
    first: dict[str, float] = {}
    failed: list[str] = []

    def client(offset: int, cookies: dict[str, str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            for index in range(len(PAGES)):
                path = PAGES[(index + offset) % len(PAGES)]
                for method, target, body, headers in visit_steps(path, cookies, port):
                    status, _, _, elapsed = request(method, port, target, body, headers, connection=connection)
                    if status != 200:
                        failed.append(f"{method} {target} ({path}): {status}")
                    if method == "POST":
                        first.setdefault(path, elapsed * 1000)
            for index in range(len(walls)):
                screen = walls[(index * 7 + offset) % len(walls)]
                status = request("GET", port, screen.path, headers=screen.headers, connection=connection)[0]
                if status != 200:
                    failed.append(f"{screen.path}: {status}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n * 3, analysts[n % len(analysts)])) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise SystemExit(f"warm-up failed: {failed[:5]}")
    return list(first.values())


def mixed_load(port: int, walls: list[Screen], analysts: list[dict[str, str]], minutes: float) -> Mixed:
    result = Mixed()
    stop_at = time.monotonic() + minutes * 60
    rng = random.Random(7)

    def wall(screen: Screen, delay: float) -> None:
        time.sleep(delay)
        path = screen.path
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                status, _, body, elapsed = request("GET", port, path, headers=screen.headers)
                if status != 200 or not body.startswith(b'{"ok": true'):
                    result.error(f"wall {path}: {status}")
                else:
                    with result.lock:
                        result.wall_ms.append(elapsed * 1000)
            except OSError as exc:
                result.error(f"wall {path}: {exc}")
            time.sleep(max(0.0, 60 - (time.monotonic() - started)))

    def analyst(seed: int, cookies: dict[str, str]) -> None:
        own = random.Random(seed)
        time.sleep(own.uniform(0, 3))
        while time.monotonic() < stop_at:
            path = own.choice(PAGES)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            started = time.perf_counter()
            try:
                for method, target, body, headers in visit_steps(path, cookies, port):
                    status, _, _, elapsed = request(method, port, target, body, headers, connection=connection)
                    if status != 200:
                        result.error(f"{method} {target} ({path}): {status}")
                    elif method == "POST":
                        with result.lock:
                            result.callback_ms.append(elapsed * 1000)
                visit = time.perf_counter() - started
                status, _, _, elapsed = request(
                    "GET", port, STATIC, headers=signed_in.headers(cookies), connection=connection
                )
                with result.lock:
                    result.visit_ms.append(visit * 1000)
                    if status == 200:
                        result.static_ms.append(elapsed * 1000)
                if status != 200:
                    result.error(f"GET {STATIC}: {status}")
            except OSError as exc:
                result.error(f"{path}: {exc}")
            finally:
                connection.close()
            time.sleep(own.uniform(1, 3))

    threads = [threading.Thread(target=wall, args=(screen, rng.uniform(0, 60)), daemon=True) for screen in walls]
    threads += [threading.Thread(target=analyst, args=(n, analysts[n]), daemon=True) for n in range(len(analysts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=minutes * 60 + 120)
    return result


@dataclass
class Blast:
    label: str
    rps: float
    p50: float
    p99: float
    requests: int
    errors: int


WRK_SCRIPT = """
local paths = {%s}
local etags = {%s}
local cookies = {%s}
local counter = 0
request = function()
  counter = counter + 1
  local i = (counter %% #paths) + 1
  local headers = {["Accept-Encoding"] = "gzip, deflate"}
  if cookies[i] ~= "" then headers["Cookie"] = cookies[i] end
  if etags[i] ~= "" then headers["If-None-Match"] = etags[i] end
  return wrk.format("GET", paths[i], headers)
end
"""


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def blast(
    label: str,
    port: int,
    paths: list[str],
    seconds: float,
    folder: Path,
    etags: list[str] | None = None,
    connections: int = 50,
    cookies: list[str] | None = None,
) -> Blast:
    """`connections` connections asking for `paths` in turn for `seconds` (each path with its
    Cookie header from `cookies`, its If-None-Match from `etags`): wrk, else Python."""
    wrk = shutil.which("wrk")
    if wrk:
        script = folder / f"{abs(hash(label))}.lua"
        quote = lambda items: ", ".join(json.dumps(item) for item in items)  # noqa: E731
        blank = [""] * len(paths)
        script.write_text(WRK_SCRIPT % (quote(paths), quote(etags or blank), quote(cookies or blank)))
        output = subprocess.run(
            [
                wrk,
                "-t1",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        latencies = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, flags=re.MULTILINE))
        total = int(re.search(r"(\d+) requests in", output).group(1))
        errors = sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", output)))
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        errors += int(non2xx.group(1)) if non2xx else 0
        return Blast(label, rps, _ms(latencies["50"]), _ms(latencies["99"]), total, errors)
    return _python_blast(label, port, paths, seconds, etags, connections, cookies)


def _python_blast(label, port, paths, seconds, etags, connections, cookies) -> Blast:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        index, own = offset, []
        while time.monotonic() < stop_at:
            i = index % len(paths)
            index += 1
            headers = {"If-None-Match": etags[i]} if etags else {}
            if cookies and cookies[i]:
                headers["Cookie"] = cookies[i]
            started = time.perf_counter()
            try:
                connection.request("GET", paths[i], headers={**BROWSER_HEADERS, **headers})
                response = connection.getresponse()
                response.read()
                if response.status not in (200, 304):
                    with lock:
                        errors[0] += 1
                own.append((time.perf_counter() - started) * 1000)
            except OSError:
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(own)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return Blast(
        label + " (Python client)",
        len(latencies) / elapsed,
        percentile(latencies, 50),
        percentile(latencies, 99),
        len(latencies),
        errors[0],
    )


# =========================================================================== one store


def bench_store(name: str, url: str, redis: str | None, args, folder: Path) -> list[tuple[str, bool]]:
    env = bench_env(url, redis)
    print(
        f"\n== {name}: {url.split('@')[-1]}" + (f" + Redis {redis}" if redis else " (each worker its own cache)"),
        flush=True,
    )
    init_s = run_poc(["init"], env)
    demo_s = run_poc(["demo"], env)
    print(f"   store: poc init {init_s:.0f} s, poc demo {demo_s:.0f} s", flush=True)
    walls = store_walls(url)
    passwords = {analyst_name(n): signed_in.ensure_account(url, analyst_name(n)) for n in range(ANALYSTS)}
    port = free_port()
    server = Server(env, port, args.workers, folder)
    verdicts: list[tuple[str, bool]] = []
    try:
        started = time.perf_counter()
        analysts = sign_everyone_in(port, url, walls, passwords)
        print(
            f"   signed in {time.perf_counter() - started:.1f} s: {len(analysts)} analysts through /login (each its "
            f"own {signed_in.ROLE} account of {signed_in.AREA}), {len(walls)} wall screens by kiosk tokens "
            "(one token per screen, for the screen's own area)",
            flush=True,
        )
        started = time.perf_counter()
        first = warm_up(port, walls, analysts)
        print(
            f"   warm-up {time.perf_counter() - started:.0f} s (8 connections, each through every page and wall): "
            f"first draw of each of {len(PAGES)} pages p50 {statistics.median(first):.0f} ms, max {max(first):.0f} ms "
            "(no cache, 8 at a time)",
            flush=True,
        )
        rss_warm = server.worker_rss()

        mixed = mixed_load(port, walls, analysts, args.minutes)
        cb95 = percentile(mixed.callback_ms, 95)
        print(f"   mixed load, {args.minutes:g} min: 100 walls at a 1-minute refresh + 20 analysts opening pages")
        print(
            f"     analysts' page callbacks  n={len(mixed.callback_ms):5d}  p50 {percentile(mixed.callback_ms, 50):6.1f} ms"
            f"  p95 {cb95:6.1f} ms  p99 {percentile(mixed.callback_ms, 99):6.1f} ms"
        )
        print(
            f"     baseline: static file     n={len(mixed.static_ms):5d}  p50 {percentile(mixed.static_ms, 50):6.1f} ms"
            f"  p95 {percentile(mixed.static_ms, 95):6.1f} ms  p99 {percentile(mixed.static_ms, 99):6.1f} ms"
        )
        print(
            f"     page visits (4 requests)  n={len(mixed.visit_ms):5d}  p50 {percentile(mixed.visit_ms, 50):6.1f} ms"
            f"  p95 {percentile(mixed.visit_ms, 95):6.1f} ms"
        )
        print(
            f"     walls' /wall/data         n={len(mixed.wall_ms):5d}  p50 {percentile(mixed.wall_ms, 50):6.1f} ms"
            f"  p95 {percentile(mixed.wall_ms, 95):6.1f} ms"
        )
        print(f"     errors {len(mixed.errors)}" + (f": {mixed.errors[:5]}" if mixed.errors else ""), flush=True)

        paths = [screen.path for screen in walls]
        cookies = [screen.headers["Cookie"] for screen in walls]
        checked = [request("GET", port, screen.path, headers=screen.headers) for screen in walls]
        refused = [f"{screen.path}: {answer[0]}" for screen, answer in zip(walls, checked) if answer[0] != 200]
        print(
            f"   each wall screen's /wall/data with its kiosk cookie before the 50-connection runs: "
            f"{len(walls) - len(refused)} of {len(walls)} answered 200" + (f"; not: {refused[:5]}" if refused else ""),
            flush=True,
        )
        wall = blast("/wall/data", port, paths, args.seconds, folder, cookies=cookies)
        static = blast(f"baseline {STATIC}", port, [STATIC], args.seconds, folder, cookies=cookies[:1])
        etags = [answer[1].get("ETag", "") for answer in checked]
        unchanged = blast("/wall/data If-None-Match", port, paths, args.seconds, folder, etags, cookies=cookies)
        print(f"   50 connections, {args.seconds:g} s each ({'wrk' if shutil.which('wrk') else 'Python client'}):")
        for row in (wall, static, unchanged):
            print(
                f"     {row.label:<34} {row.rps:8.0f} req/s  p50 {row.p50:6.1f} ms  p99 {row.p99:6.1f} ms  "
                f"({row.requests} requests, {row.errors} errors)"
            )
        if static.rps:
            print(f"     /wall/data against the static file: {wall.rps / static.rps:.2f}x its rate", flush=True)

        rss_end = server.worker_rss()
        growth = {pid: (rss_end[pid] - rss_warm[pid]) / rss_warm[pid] for pid in rss_warm if pid in rss_end}
        print(
            "   worker RSS after warm-up -> end: "
            + ", ".join(
                f"{rss_warm[pid] / 2**20:.0f} -> {rss_end[pid] / 2**20:.0f} MiB ({growth[pid] * 100:+.1f} %)"
                for pid in growth
            )
        )
        if len(growth) != len(rss_warm):
            print("   a worker was replaced during the run", flush=True)
        errors = len(mixed.errors) + len(refused) + wall.errors + static.errors + unchanged.errors
        verdicts = [
            (f"{name}: /wall/data {wall.rps:.0f} req/s >= {WALL_RPS_TARGET:.0f}", wall.rps >= WALL_RPS_TARGET),
            (
                f"{name}: /wall/data p99 {wall.p99:.0f} ms <= {WALL_P99_TARGET_MS:.0f} ms",
                wall.p99 <= WALL_P99_TARGET_MS,
            ),
            (
                f"{name}: analysts' callbacks p95 {cb95:.0f} ms <= {CALLBACK_P95_TARGET_MS:.0f} ms",
                cb95 <= CALLBACK_P95_TARGET_MS,
            ),
            (f"{name}: errors {errors} == 0", errors == 0),
            (
                f"{name}: worker RSS growth {max(growth.values()) * 100:+.1f} % <= {RSS_GROWTH_TARGET * 100:.0f} %",
                bool(growth) and max(growth.values()) <= RSS_GROWTH_TARGET and len(growth) == len(rss_warm),
            ),
        ]
    finally:
        server.stop()
    return verdicts


def store_walls(url: str) -> list[Screen]:
    """The 100 wall screens of the store: 77 provinces, 18 clusters, the country, four in English;
    each with the area its kiosk token is for."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        provinces = [
            row[0] for row in connection.execute(text("SELECT code FROM area WHERE level = 'province' ORDER BY code"))
        ]
        clusters = connection.execute(text("SELECT number, area_code FROM cluster ORDER BY number")).all()
        country = connection.execute(text("SELECT code FROM area WHERE level = 'country'")).scalar_one()
    engine.dispose()
    cluster_area = {number: code for number, code in clusters}
    walls = [Screen(f"/wall/data?province={code}", code) for code in provinces]
    walls += [Screen(f"/wall/data?cluster={number}", code) for number, code in clusters]
    walls += [
        Screen("/wall/data", country),
        Screen("/wall/data?lang=en", country),
        Screen("/wall/data?province=50&lang=en", "50"),
        Screen(f"/wall/data?cluster={clusters[0][0]}&lang=en", cluster_area[clusters[0][0]]),
        Screen("/wall/data?province=10&lang=en", "10"),
    ]
    return walls[:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=2.0, help="mixed load duration")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each 50-connection run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(machine.describe(), flush=True)
    print(
        f"targets: /wall/data >= {WALL_RPS_TARGET:.0f} req/s, p99 <= {WALL_P99_TARGET_MS:.0f} ms; analysts' callbacks "
        f"p95 <= {CALLBACK_P95_TARGET_MS:.0f} ms; 0 errors; worker RSS growth <= {RSS_GROWTH_TARGET * 100:.0f} %"
    )
    folder = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    verdicts: list[tuple[str, bool]] = []
    try:
        if not args.skip_sqlite:
            verdicts += bench_store("SQLite", f"sqlite:///{folder / 'demo.sqlite'}", None, args, folder)
        if not args.skip_postgres:
            from temp_postgres import postgres_database

            admin = os.environ.get("POC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
            try:
                url, drop = postgres_database(admin, prefix="poc_serve_bench")
            except Exception as exc:  # noqa: BLE001 - the machine has no PostgreSQL
                print(f"\n== PostgreSQL skipped: {str(exc).splitlines()[0]}")
            else:
                try:
                    verdicts += bench_store("PostgreSQL + Redis", url, REDIS_URL, args, folder)
                finally:
                    drop()
                    forget_redis_keys(url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nverdicts:")
    for text, passed in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")


def forget_redis_keys(url: str) -> None:
    """The run's keys in REDIS_URL's database (they would expire after POC_CACHE_TIMEOUT anyway)."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter("poc:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    except Exception:  # noqa: BLE001 - only tidying
        pass


if __name__ == "__main__":
    main()
