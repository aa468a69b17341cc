"""Production serving: `poc serve` runs gunicorn (workers, threads, loopback by default, an
access log in the combined format), `app:server` is built once, `X-Forwarded-*` is believed
from trusted proxies only, `/wall/data` and the page callbacks answer from the cache while the
data version stands (ETag, 304), and two app servers behind HAProxy survive losing one.

The servers run as subprocesses on free loopback ports and are stopped by their PIDs."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask, request, url_for

from data.store.engine import make_engine
from data.store.schema import VALUE_COLUMNS, KpiValue
from data.store.setup import logged_import
from data.store.values import write_values
from helpers import dash_app, reset_caches, session_cookie, session_headers, until
from settings import PROJECT_ROOT
from stores import build_demo_store, postgres_database
from web.proxies import TrustedProxies, TrustedProxyError, parse_networks
from web.serving import ACCESS_LOG_FORMAT, RequestsOnlyLogger, ServeOptions, default_workers

BIN = Path(sys.executable).parent
COMBINED = re.compile(
    r'^(?P<host>\S+) - (?P<user>\S+) \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) '
    r'HTTP/1\.[01]" (?P<status>\d{3}) (?P<bytes>\d+|-) "(?P<referer>[^"]*)" "(?P<agent>[^"]*)"$'
)
PAGE_CALLBACK = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
    "state": [],
}
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own (tests/test_queries.py uses 15)
VERSION_NOTICED_S = 15.0  # the app re-reads the data version once a second: a deadline for noticing an import


def page_callback(path: str, search: str = "") -> dict:
    return {
        **PAGE_CALLBACK,
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
    }


def free_port(*hosts: str) -> int:
    """A port free on every one of `hosts`."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((hosts[0], 0))
            port = probe.getsockname()[1]
        try:
            for host in hosts:
                with socket.socket() as other:
                    other.bind((host, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def fetch(
    host: str,
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
    source: str | None = None,
    timeout: float = 15.0,
):
    """(status, headers, body) of one request, from loopback address `source` when given; signed in
    (`SIGNED_IN`, set by the test for its store) unless `headers` bring a cookie of their own."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout, source_address=(source, 0) if source else None)
    headers = {**SIGNED_IN, **(headers or {})}
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


SIGNED_IN: dict[str, str] = {}  # the session headers of the store the servers of the running test read


def sign_in_to(database_url: str) -> None:
    SIGNED_IN.clear()
    SIGNED_IN.update(session_headers(database_url))


class Server:
    """An app server subprocess (its own process group), its stdout and stderr in files."""

    def __init__(self, command: list[str], env: dict, folder: Path, name: str, host: str, port: int) -> None:
        self.host, self.port, self.name = host, port, name
        self.out, self.err = folder / f"{name}.out", folder / f"{name}.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=err, start_new_session=True
            )
        self.pid = self.process.pid

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited {self.process.returncode}: {self.err.read_text()[-3000:]}")
            try:
                if fetch(self.host, self.port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{self.name} did not answer within {timeout} s: {self.err.read_text()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM to the server (gunicorn stops its workers), SIGKILL to its group if it lingers."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def kill(self) -> None:
        """As a machine that dies: SIGKILL to the server and its workers (its process group)."""
        os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def access_lines(self) -> list[re.Match]:
        return [m for m in map(COMBINED.match, self.out.read_text(encoding="utf-8").splitlines()) if m]


def server_env(url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POC_") and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=url, POC_WARM_ASSETS="0", POC_LANGUAGE="th", **extra)
    return env


# =========================================================================== poc serve


def test_srv001_poc_serve_runs_gunicorn_on_loopback_with_an_access_log_and_trusted_proxies(demo_url, tmp_path):
    port = free_port("127.0.0.1")
    env = server_env(demo_url, POC_PORT=str(port), POC_TRUSTED_PROXIES="127.0.0.2")
    sign_in_to(demo_url)
    server = Server(
        [str(BIN / "poc"), "serve", "--workers", "2", "--threads", "2"], env, tmp_path, "serve", "127.0.0.1", port
    )
    try:
        server.wait_ready()
        import psutil

        master = psutil.Process(server.pid)
        workers = master.children()
        assert len(workers) == 2, "two gunicorn workers"
        listening = {(c.laddr.ip, c.laddr.port) for c in master.net_connections("tcp") if c.status == "LISTEN"}
        assert listening == {("127.0.0.1", port)}, "binds loopback unless told otherwise"
        assert "gunicorn" in server.err.read_text() and "development server" not in server.err.read_text()

        status, headers, body = fetch("127.0.0.1", port, "/province/50")
        assert status == 200 and b"<html" in body.lower() and "text/html" in headers["content-type"]
        status, headers, body = fetch("127.0.0.1", port, "/wall/data?province=50")
        assert status == 200 and json.loads(body)["area"] == "จังหวัดเชียงใหม่" and headers["etag"].startswith('W/"')
        status, _, body = fetch("127.0.0.1", port, "/assets/wall.js")
        assert status == 200 and b"wall" in body
        status, _, body = fetch(
            "127.0.0.1",
            port,
            "/_dash-update-component",
            method="POST",
            body=json.dumps(page_callback("/province/50")).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert status == 200 and "เชียงใหม่" in json.dumps(json.loads(body), ensure_ascii=False)

        # X-Forwarded-For from the trusted proxy names the client; from anybody else it is dropped
        forwarded = {"X-Forwarded-For": "198.51.100.9, 203.0.113.7", "X-Forwarded-Proto": "https"}
        assert fetch("127.0.0.1", port, "/healthz?from=proxy", headers=forwarded, source="127.0.0.2")[0] == 200
        assert fetch("127.0.0.1", port, "/data?from=other", headers=forwarded, source="127.0.0.3")[0] == 200
        assert fetch("127.0.0.1", port, "/data?from=proxy", headers=forwarded, source="127.0.0.2")[0] == 200
        until(
            lambda: any(m["path"] == "/data?from=proxy" for m in server.access_lines()),
            15,
            "the access log line of the last request",
        )  # the log is written after the answer
    finally:
        server.stop()
    assert server.process.returncode == 0, "SIGTERM stops gunicorn gracefully"
    lines = server.access_lines()
    logged = {(m["method"], m["path"]): m for m in lines}
    raw = server.out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len([line for line in raw if line.strip() and not line.startswith("serving ")]), (
        f"every access line in the combined log format: {raw}"
    )
    assert logged[("GET", "/province/50")]["status"] == "200" and logged[("GET", "/province/50")]["host"] == "127.0.0.1"
    assert ("GET", "/wall/data?province=50") in logged and ("POST", "/_dash-update-component") in logged
    assert not [m for m in lines if m["path"].startswith(("/assets/", "/healthz"))], (
        "static files and health checks are left out unless POC_ACCESS_LOG=all"
    )
    assert logged[("GET", "/data?from=proxy")]["host"] == "203.0.113.7"
    assert logged[("GET", "/data?from=other")]["host"] == "127.0.0.3"


def test_srv002_serving_options_come_from_the_settings_and_the_command_line(monkeypatch):
    from click.testing import CliRunner

    import cli.main as cli

    seen = []
    monkeypatch.setattr(cli, "_serve_production", seen.append)
    monkeypatch.setattr(cli, "open_store", lambda: SimpleNamespace(dispose=lambda: None))
    monkeypatch.setenv("POC_THREADS", "3")
    monkeypatch.setenv("POC_TRUSTED_PROXIES", "10.0.0.0/24, 127.0.0.2")
    monkeypatch.setenv("POC_ACCESS_LOG", "all")
    reset_caches()
    try:
        result = CliRunner().invoke(cli.poc, ["serve", "--port", "9001"])
        assert result.exit_code == 0, result.output
        options = seen[-1]
        assert (options.host, options.port, options.threads, options.access_log) == ("127.0.0.1", 9001, 3, "all")
        assert options.workers == default_workers() and 2 <= options.workers <= 8
        assert options.trusted_proxies == ("10.0.0.0/24", "127.0.0.2/32")
        config = options.gunicorn_config()
        assert config["worker_class"] == "gthread" and config["bind"] == ["127.0.0.1:9001"]
        assert config["forwarded_allow_ips"] == "10.0.0.0/24,127.0.0.2/32"
        assert config["access_log_format"] == ACCESS_LOG_FORMAT and config["accesslog"] == "-"
        assert config["logger_class"] is not RequestsOnlyLogger  # all: static files too

        result = CliRunner().invoke(cli.poc, ["serve", "--workers", "5", "--access-log", "off", "--host", "::1"])
        assert result.exit_code == 0, result.output
        assert seen[-1].workers == 5 and seen[-1].gunicorn_config()["accesslog"] is None
        assert seen[-1].bind() == "[::1]:8050"

        monkeypatch.setenv("POC_TRUSTED_PROXIES", "10.0.0.1/24")  # host bits set: a mistake, named
        reset_caches()
        result = CliRunner().invoke(cli.poc, ["serve"])
        assert result.exit_code != 0 and "10.0.0.1/24" in result.output
    finally:
        monkeypatch.undo()
        reset_caches()
    assert ServeOptions("127.0.0.1", 1, 2, 4).gunicorn_config()["logger_class"] is RequestsOnlyLogger


def test_srv003_app_server_is_built_once_even_when_threads_race_and_has_the_callbacks(demo_url):
    session_cookie(demo_url)  # the account "tester" in the store
    code = """
import json, threading
import app
calls = []
build = app.create_app
app.create_app = lambda: calls.append(1) or build()
servers, start = [], threading.Barrier(8)
def read():
    start.wait()
    servers.append(app.server)
threads = [threading.Thread(target=read) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
assert len(calls) == 1, calls
assert all(s is servers[0] for s in servers) and app.server is servers[0]
from app import server
assert server is servers[0]
client = server.test_client()
server.secret_key = "subprocess-test-key"
with client.session_transaction() as session:  # the account "tester" of the store (made by the test)
    session.update(u="tester", e=1, t=__import__("time").time(), c="t0k")
body = {"output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/data"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": []}
answer = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": "t0k"})
assert answer.status_code == 200, answer.status_code
assert "_pages_content" in answer.get_data(as_text=True)
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=server_env(demo_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


# =========================================================================== behind a reverse proxy


def probe_app(networks) -> Flask:
    """A Flask app behind the middleware the dashboard uses, reporting what it sees."""
    probe = Flask("probe")

    @probe.route("/seen")
    def seen():
        return {
            "remote": request.remote_addr,
            "scheme": request.scheme,
            "host": request.host,
            "url": url_for("seen", _external=True),
            "forwarded": request.headers.get("X-Forwarded-For"),
        }

    probe.wsgi_app = TrustedProxies(probe.wsgi_app, networks)
    return probe


def test_srv004_x_forwarded_headers_are_honoured_from_trusted_proxies_only(monkeypatch):
    client = probe_app(parse_networks("127.0.0.2, 10.1.0.0/16")).test_client()
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "poc.example.go.th"}

    def seen(peer, **extra):
        return client.get(
            "/seen", headers={**headers, **extra}, environ_base={"REMOTE_ADDR": peer}, base_url="http://127.0.0.1:8050"
        ).get_json()

    trusted = seen("127.0.0.2")
    assert trusted["remote"] == "203.0.113.7" and trusted["scheme"] == "https"
    assert trusted["url"] == "https://poc.example.go.th/seen"
    other = seen("127.0.0.3")
    assert other["remote"] == "127.0.0.3" and other["scheme"] == "http"
    assert other["url"] == "http://127.0.0.1:8050/seen" and other["forwarded"] is None, "dropped, not passed on"
    # a chain: read from the right, through trusted proxies; what the client wrote on the left is not believed
    chain = seen("10.1.2.3", **{"X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.1.9.9"})
    assert chain["remote"] == "203.0.113.7"
    assert seen("127.0.0.2", **{"X-Forwarded-For": "garbage, 203.0.113.8"})["remote"] == "203.0.113.8"
    assert seen("127.0.0.2", **{"X-Forwarded-For": "[2001:db8::5]:4711"})["remote"] == "2001:db8::5"
    assert seen("127.0.0.2", **{"X-Forwarded-Proto": "gopher"})["scheme"] == "http"
    assert seen("127.0.0.2", **{"X-Forwarded-Host": "evil/host"})["url"] == "https://127.0.0.1:8050/seen"
    # none trusted (the default): nobody's headers count
    nobody = probe_app(parse_networks("")).test_client()
    assert (
        nobody.get("/seen", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()["remote"]
        == "127.0.0.1"
    )
    with pytest.raises(TrustedProxyError, match="not-an-address"):
        parse_networks("127.0.0.1, not-an-address")


def test_srv005_the_dashboard_uses_the_trusted_proxies_setting(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    reset_caches()
    try:
        wrapper = dash_app().server.wsgi_app
        while not isinstance(wrapper, TrustedProxies) and hasattr(wrapper, "app"):
            wrapper = wrapper.app
        assert isinstance(wrapper, TrustedProxies)
    finally:
        reset_caches()


# =========================================================================== answers from the cache


@pytest.fixture
def app_client(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("POC_LANGUAGE", "th")
    reset_caches()
    yield dash_app().server.test_client()
    reset_caches()


def revise_one_value(url: str) -> None:
    """A new import revising one value of Chiang Mai: the data version moves."""
    import pandas as pd
    from sqlalchemy import select

    engine = make_engine(url)
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(*[getattr(KpiValue, c) for c in VALUE_COLUMNS]).where(KpiValue.area_code == "50").limit(1)
            )
            .mappings()
            .one()
        )
    frame = pd.DataFrame([{**row, "value": float(row["value"]) * 1.01 + 0.01}])
    with logged_import(engine, "values", "revision.csv", "tester") as (connection, counts):
        counts.update(rows_read=1, **write_values(connection, frame, counts["import_id"], "tester"))
    engine.dispose()


def test_srv006_wall_data_has_an_etag_and_answers_304_until_an_import(app_client, demo_url):
    first = app_client.get("/wall/data?province=50")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and re.fullmatch(r'W/"[0-9a-f]{32}"', etag)
    assert first.headers["Cache-Control"] == "no-store"
    same = app_client.get("/wall/data?province=50&interval=30")  # timings are not part of the payload
    assert same.headers["ETag"] == etag and same.get_data() == first.get_data()
    assert app_client.get("/wall/data?province=51").headers["ETag"] != etag
    assert app_client.get("/wall/data?province=50&lang=en").headers["ETag"] != etag
    assert app_client.get("/wall/data?province=50&slides=goals").headers["ETag"] != etag

    unchanged = app_client.get("/wall/data?province=50", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b"" and unchanged.headers["ETag"] == etag
    assert app_client.get("/wall/data?province=50", headers={"If-None-Match": 'W/"other"'}).status_code == 200

    packed = app_client.get("/wall/data?province=50", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["ETag"] == etag
    assert gzip.decompress(packed.get_data()) == first.get_data()

    revise_one_value(demo_url)
    # this process re-reads the data version once a second, as after another process's import
    until(
        lambda: app_client.get("/wall/data?province=50", headers={"If-None-Match": etag}).status_code != 304,
        VERSION_NOTICED_S,
        "the wall data answers from the new data version",
    )
    moved = app_client.get("/wall/data?province=50", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag
    assert moved.get_json()["version"] != first.get_json()["version"]
    assert app_client.get("/wall/data?province=50", headers={"If-None-Match": moved.headers["ETag"]}).status_code == 304


def test_srv007_a_page_callback_is_drawn_once_per_data_version(app_client, demo_url, monkeypatch):
    import importlib

    from data.store.engine import StoreUnavailable

    province = importlib.import_module("pages.province")  # the module as Dash imported it
    drawn = []
    draw = province._province
    monkeypatch.setattr(province, "_province", lambda *a: drawn.append(a) or draw(*a))
    body = page_callback("/province/52", "?sort=worst")
    first = app_client.post("/_dash-update-component", json=body)
    again = app_client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == again.status_code == 200 and len(drawn) == 1
    assert again.headers["Content-Encoding"] == "gzip" and gzip.decompress(again.get_data()) == first.get_data()
    app_client.post("/_dash-update-component", json=page_callback("/province/52"))  # other parameters
    assert len(drawn) == 2

    revise_one_value(demo_url)
    until(
        lambda: app_client.post("/_dash-update-component", json=body).status_code == 200 and len(drawn) == 3,
        VERSION_NOTICED_S,
        "the page drawn again for the new data version",
    )
    assert app_client.post("/_dash-update-component", json=body).status_code == 200 and len(drawn) == 3

    def unavailable(*_args):
        raise StoreUnavailable("test")

    monkeypatch.setattr(province, "_province", lambda *a: drawn.append(a) or unavailable())
    for _ in range(2):  # drawn without its store (a message and a retry timer): never kept
        answer = app_client.post("/_dash-update-component", json=page_callback("/province/53"))
        assert answer.status_code == 200 and b"store-retry" in answer.get_data()
    assert len(drawn) == 5


# =========================================================================== past one machine


@pytest.fixture
def postgres_demo(catalog):
    """The demo store (stores.build_demo_store) in a throw-away PostgreSQL database: its URL."""
    databases = postgres_database()
    url = next(databases)
    build_demo_store(url, catalog)
    yield url
    next(databases, None)


HAPROXY = """
global
    maxconn 512

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
    option http-buffer-request
    retry-on conn-failure empty-response response-timeout

frontend poc
    bind 127.0.0.1:{front}
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    default_backend poc_app

backend poc_app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    http-response set-header X-Served-By %s
    default-server inter 300ms fastinter 200ms downinter 1s fall 2 rise 2 on-marked-down shutdown-sessions
    server app1 127.0.0.1:{port} check
    server app2 127.0.0.2:{port} check

frontend stats
    bind 127.0.0.1:{stats}
    stats enable
    stats uri /stats
"""


def backend_status(stats_port: int) -> dict[str, str]:
    _, _, body = fetch("127.0.0.1", stats_port, "/stats;csv", timeout=3)
    rows = [line.split(",") for line in body.decode().splitlines() if line.startswith("poc_app,")]
    return {row[1]: row[17] for row in rows}


@pytest.fixture
def haproxy() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if found is None:
        pytest.skip("haproxy is not installed (apt-get install haproxy; .ci/run installs it)")
    return found


@pytest.mark.postgres
def test_srv008_two_app_servers_behind_haproxy_survive_losing_one(haproxy, postgres_demo, tmp_path):
    port = free_port("127.0.0.1", "127.0.0.2")
    front, stats = free_port("127.0.0.1"), free_port("127.0.0.1")
    env = server_env(postgres_demo, REDIS_URL=REDIS_URL, POC_TRUSTED_PROXIES="127.0.0.1")
    sign_in_to(postgres_demo)  # both servers sign with the store's one shared key
    # the README's two ways: `poc serve`, and gunicorn on app:server
    first = Server(
        [str(BIN / "poc"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--threads", "4"],
        env,
        tmp_path,
        "app1",
        "127.0.0.1",
        port,
    )
    import gunicorn

    quiet = ["--no-control-socket"] if gunicorn.version_info >= (25, 1) else []  # one control socket per user
    second = Server(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "1",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--bind",
            f"127.0.0.2:{port}",
            *quiet,
            "app:server",
        ],
        env,
        tmp_path,
        "app2",
        "127.0.0.2",
        port,
    )
    config = tmp_path / "haproxy.cfg"
    config.write_text(HAPROXY.format(front=front, port=port, stats=stats))
    balancer = None
    results: list[tuple[float, str, bool, str]] = []  # (time, what, ok, served by)
    stop = threading.Event()  # set in any case: the load threads end with the test
    try:
        first.wait_ready()
        second.wait_ready()
        with open(tmp_path / "haproxy.log", "wb") as log:
            balancer = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if backend_status(stats) == {"app1": "UP", "app2": "UP", "BACKEND": "UP"}:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise AssertionError(f"haproxy did not see both servers up: {(tmp_path / 'haproxy.log').read_text()}")

        requests = [
            ("GET", "/wall/data?province=50", None),
            ("GET", "/wall/data?cluster=1&lang=en", None),
            ("POST", "/_dash-update-component", json.dumps(page_callback("/province/50")).encode()),
            ("POST", "/_dash-update-component", json.dumps(page_callback("/")).encode()),
            ("GET", "/province/51", None),
        ]

        def load(offset: int) -> None:
            index = offset
            while not stop.is_set():
                method, path, body = requests[index % len(requests)]
                index += 1
                try:
                    status, headers, data = fetch(
                        "127.0.0.1",
                        front,
                        path,
                        method=method,
                        body=body,
                        headers={"Content-Type": "application/json"},
                        timeout=10,
                    )
                    ok = status == 200 and len(data) > 100
                    results.append((time.monotonic(), path, ok, headers.get("x-served-by", "?")))
                except OSError as error:
                    results.append((time.monotonic(), path, False, type(error).__name__))
                time.sleep(0.02)

        clients = [threading.Thread(target=load, args=(n,)) for n in range(3)]
        for client in clients:
            client.start()
        kinds = {path for _, path, _ in requests}

        def rounds(kind: str, since: float = 0.0, served_by: str | None = None) -> int:
            return sum(r[1] == kind and r[0] >= since and served_by in (None, r[3]) for r in results)

        # the load on both servers before the kill: every kind of request answered by each, three times
        until(
            lambda: all(rounds(k, served_by=app) >= 3 for k in kinds for app in ("app1", "app2")),
            30,
            "every kind of request answered by both servers",
        )
        killed_at = time.monotonic()
        first.kill()
        marked_down = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and marked_down is None:
            if backend_status(stats).get("app1", "").startswith("DOWN"):
                marked_down = time.monotonic()
            time.sleep(0.05)
        if marked_down is not None:  # the load goes on: ten rounds of every client after the mark-down
            until(
                lambda: all(rounds(k, since=marked_down) >= 10 * len(clients) for k in kinds),
                60,
                "every kind of request asked again and again after the mark-down",
            )
        stop.set()
        for client in clients:
            client.join(timeout=15)
    finally:
        stop.set()
        if balancer is not None:
            balancer.terminate()
            balancer.wait(timeout=10)
        first.stop()
        second.stop()

    assert marked_down is not None, "haproxy marked the killed server down"
    before = [r for r in results if r[0] < killed_at]
    during = [r for r in results if killed_at <= r[0] < marked_down]
    after = [r for r in results if r[0] >= marked_down]
    print(
        f"\nbefore the kill: {len(before)} requests, {sum(not r[2] for r in before)} failed; "
        f"detection took {marked_down - killed_at:.2f} s: {len(during)} requests, {sum(not r[2] for r in during)} "
        f"failed; after: {len(after)} requests, {sum(not r[2] for r in after)} failed"
    )
    assert before and all(r[2] for r in before)
    assert {r[3] for r in before} == {"app1", "app2"}, "both servers served before the kill"
    assert marked_down - killed_at < 3
    assert sum(not r[2] for r in during) <= 3, "a bounded number of failures while the balancer notices"
    assert len(after) > 20 and all(r[2] for r in after), [r for r in after if not r[2]][:5]
    assert {r[3] for r in after} == {"app2"}
    assert {r[1] for r in after} == {path for _, path, _ in requests}, "walls and pages keep working"
