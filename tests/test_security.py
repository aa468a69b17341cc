"""The security baseline (issue 16, point 3), asserted on real HTTP answers of the running
server: the app served by Werkzeug on a free loopback port in a thread, asked with http.client
(or a raw socket where a request must be malformed on purpose).

Every kind of answer (a page's shell, Dash's layout, dependencies and callbacks, an asset, the
plotly bundle, the wall and its data, a 404, a 413, a 414) carries a Content-Security-Policy of
the app's own origin only (inline scripts by hash, exactly those the page holds; no
'unsafe-inline' or 'unsafe-eval' for scripts), frame-ancestors 'none' (or the origins
configured), nosniff, a Referrer-Policy and no server version. Paths no page claims answer 404
with the not-found page in Thai; oversize bodies 413; long query strings 414 with a short body;
parameters are not echoed back (or cut and escaped where a page names them). The snapshot's
page URL always stays on the internal base (`reports.snapshot.snapshot_url`)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import socket
from urllib.parse import urlsplit

import pytest

from helpers import words_joined
from settings import get_settings
from web import assets as vendor

HUGE = "9" * 100_000
NOT_FOUND_TH = "ไม่พบหน้านี้"


@pytest.fixture(scope="module")
def server(live_server):
    """The app on 127.0.0.1 at a free port, reading the module's demo store: (host, port)."""
    parts = urlsplit(live_server)
    return parts.hostname, parts.port


class Answer:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def words(self) -> str:
        """A JSON answer with its Thai unescaped, each text cut into Thai words read whole."""
        return json.dumps(words_joined(json.loads(self.body)), ensure_ascii=False)

    def csp(self) -> dict[str, list[str]]:
        """The Content-Security-Policy as {directive: [sources]} (exactly one header)."""
        values = self.headers.get_all("Content-Security-Policy") or []
        assert len(values) == 1, values
        return {name: sources for name, *sources in (part.split() for part in values[0].split(";") if part.strip())}


def ask(server, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
    """One request over a new connection; no gzip asked for, so bodies are as sent."""
    connection = http.client.HTTPConnection(*server, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def raw(server, request: bytes) -> Answer:
    """A request written byte by byte (a declared length never sent, a 100 kB request line)."""
    with socket.create_connection(server, timeout=60) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    message = http.client.HTTPMessage()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        message[name.strip()] = value.strip()
    return Answer(int(lines[0].split()[1]), message, body)


def router_payload(path: str, search: str = "") -> bytes:
    """What the browser posts when it opens `path`: Dash's page-routing callback."""
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        }
    ).encode()


def route(server, path: str, search: str = "") -> Answer:
    return ask(
        server, "POST", "/_dash-update-component", router_payload(path, search), {"Content-Type": "application/json"}
    )


def inline_scripts(html: str) -> list[str]:
    """The bodies of the inline JavaScript a browser would run (not Dash's JSON config, not comments)."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)
    found = []
    for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.DOTALL | re.IGNORECASE):
        kind = re.search(r'type="([^"]+)"', attributes)
        if "src=" not in attributes and (not kind or "javascript" in kind.group(1)):
            found.append(body)
    return found


def sha256_source(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


# =========================================================================== headers on every answer

ANSWERS = {
    "overview shell": ("GET", "/", None, 200),
    "province shell": ("GET", "/province/50?period=2569", None, 200),
    "cluster shell": ("GET", "/cluster/1", None, 200),
    "wall shell": ("GET", "/wall?province=50", None, 200),
    "wall data": ("GET", "/wall/data?province=50", None, 200),
    "dash layout": ("GET", "/_dash-layout", None, 200),
    "dash dependencies": ("GET", "/_dash-dependencies", None, 200),
    "dash callback": ("POST", "/_dash-update-component", router_payload("/province/50", "?period=2569"), 200),
    "asset": ("GET", "/assets/poc.css", None, 200),
    "plotly bundle": ("GET", vendor.PLOTLY_URL, None, 200),
    "font": ("GET", "/vendor/fonts/Sarabun-Regular.ttf", None, 200),
    "unknown page": ("GET", "/no/such/page", None, 404),
    "unknown asset": ("GET", "/assets/no-such-file.css", None, 404),
    "long query": ("GET", "/?period=" + "9" * 3000, None, 414),
}


@pytest.mark.parametrize("name", list(ANSWERS))
def test_sec001_every_answer_carries_the_security_headers(server, name):
    method, path, body, status = ANSWERS[name]
    answer = ask(server, method, path, body, {"Content-Type": "application/json"} if body else None)
    assert answer.status == status, answer.text[:500]
    policy = answer.csp()
    assert policy["default-src"] == ["'self'"]
    scripts = policy["script-src"]
    assert scripts[0] == "'self'" and all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", s) for s in scripts[1:]), scripts
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert set(policy["style-src"]) == {"'self'", "'unsafe-inline'"}  # README: Security says why
    allowed = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
    for directive, sources in policy.items():  # nothing from anywhere but the app's own origin
        assert all(s in allowed or s.startswith("'sha256-") for s in sources), (directive, sources)
        assert "'unsafe-inline'" not in sources or directive == "style-src", directive
        assert "'unsafe-eval'" not in sources, directive
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["X-Frame-Options"] == "DENY"
    servers = answer.headers.get_all("Server") or []
    assert len(servers) <= 1 and not any(re.search(r"werkzeug|python|\d", s, re.I) for s in servers), servers


def test_sec002_the_shell_runs_only_the_inline_scripts_the_policy_names(server):
    """script-src lists the hash of every inline script of the page served, and nothing else."""
    answer = ask(server, "GET", "/province/50")
    scripts = inline_scripts(answer.text)
    assert any("new DashRenderer" in s for s in scripts) and any("PlotlyGeoAssets" in s for s in scripts)
    assert any("dash_clientside" in s for s in scripts)  # Dash's clientside callbacks
    assert set(answer.csp()["script-src"][1:]) == {sha256_source(s) for s in scripts}
    assert '<script id="_dash-config" type="application/json">' in answer.text  # data, not run: no hash needed


def test_sec003_frame_ancestors_can_name_origins(server, monkeypatch):
    monkeypatch.setenv("POC_FRAME_ANCESTORS", "'self' https://intranet.example.go.th https://*.moi.go.th")
    get_settings.cache_clear()
    try:
        answer = ask(server, "GET", "/")
        assert answer.csp()["frame-ancestors"] == ["'self'", "https://intranet.example.go.th", "https://*.moi.go.th"]
        assert "X-Frame-Options" not in answer.headers  # it cannot name other origins; the CSP does
        monkeypatch.setenv("POC_FRAME_ANCESTORS", "self")
        get_settings.cache_clear()
        answer = ask(server, "GET", "/")
        assert answer.csp()["frame-ancestors"] == ["'self'"] and answer.headers["X-Frame-Options"] == "SAMEORIGIN"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert ask(server, "GET", "/").csp()["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("value", ["*", "https://a.example/path", "javascript:alert(1)", "'unsafe-inline'", "http://"])
def test_sec004_a_wrong_frame_ancestors_setting_stops_start_up(value):
    from web.security import frame_policy

    with pytest.raises(ValueError, match="POC_FRAME_ANCESTORS"):
        frame_policy(value)


def test_sec005_no_server_version_even_from_werkzeug_itself(server):
    """A request line over 64 kB is refused by the HTTP server before the app: still no version."""
    line = b"GET /?period=" + HUGE.encode()
    answer = raw(server, line[:65537])  # exactly what the server reads of a line before it gives up
    assert answer.status == 414 and len(answer.body) < 1000 and HUGE[:200].encode() not in answer.body
    assert answer.headers["Server"] == "POC"


# =========================================================================== unknown paths


@pytest.mark.parametrize(
    "path",
    [
        "/no/such/page",
        "/404",
        "/province",
        "/wall/nope",
        "/vendor/nope",
        "/_dash-nope",
        "/data/x",
        "/%E0%B8%81%E0%B8%82",
    ],
)
def test_sec010_a_path_no_page_claims_is_404_with_the_not_found_page_in_thai(server, path):
    answer = ask(server, "GET", path)
    assert answer.status == 404 and answer.headers["Content-Type"].startswith("text/html")
    assert f"<title>{NOT_FOUND_TH} · ศูนย์ปฏิบัติการจังหวัด</title>" in answer.text
    assert 'id="react-entry-point"' in answer.text  # the app's shell, which draws the page below
    page = route(server, urlsplit(path).path)
    assert page.status == 200 and NOT_FOUND_TH in page.words and "ไปหน้าแรก" in page.words


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/province/50",
        "/province/99",
        "/district/5001",
        "/cluster/1",
        "/kpi/nothing",
        "/data",
        "/wall",
        "/province/50/",
    ],
)
def test_sec011_every_page_path_is_200(server, path):
    """Paths a page claims (an unknown code included: that page names what it did not find)."""
    assert ask(server, "GET", path).status == 200


# =========================================================================== limits


def test_sec020_a_body_over_the_limit_is_413(server):
    limit = get_settings().max_request_bytes
    assert limit == 1_048_576
    request = (
        f"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {limit + 1}\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = raw(server, request)  # the length alone decides: the body is never sent
    assert answer.status == 413 and len(answer.body) < 1000
    assert answer.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in answer.headers


def test_sec021_a_body_under_the_limit_is_served(server):
    body = router_payload("/data")
    padded = body + b" " * (get_settings().max_request_bytes - len(body) - 10)  # JSON allows trailing space
    answer = ask(server, "POST", "/_dash-update-component", padded, {"Content-Type": "application/json"})
    assert answer.status == 200 and "สถานะข้อมูล" in answer.words


@pytest.mark.parametrize(
    "path", ["/?period=" + "9" * 2100, "/wall/data?kpi=" + "x" * 2100, "/province/" + "5" * 2100, "/?" + "a=1&" * 600]
)
def test_sec022_a_query_or_path_over_the_limit_is_414_with_a_short_body(server, path):
    answer = ask(server, "GET", path)
    assert answer.status == 414 and len(answer.body) < 1000
    assert "9" * 100 not in answer.text and "x" * 100 not in answer.text and "5" * 100 not in answer.text


def test_sec023_a_query_at_the_limit_is_served(server):
    path = "/?period=" + "2" * (get_settings().max_query_length - len("period="))
    assert ask(server, "GET", path).status == 200


# =========================================================================== nothing echoed back


def test_sec030_a_100k_period_is_not_echoed(server):
    normal = route(server, "/province/50", "?period=2569")
    for search in ("?period=" + HUGE, "?show=" + HUGE, "?sort=" + HUGE, "?kpi=" + HUGE, "?lang=" + HUGE):
        answer = route(server, "/province/50", search)  # the URL as a browser's router posts it
        assert answer.status == 200
        assert len(answer.body) < len(normal.body) + 5_000, (search[:10], len(answer.body))
        assert "9" * 121 not in answer.text  # cut to 120 characters wherever it is named
    shell = ask(server, "GET", "/province/50?period=" + HUGE)  # as a GET: the URL is refused, not echoed
    assert shell.status == 414 and len(shell.body) < 1000


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_sec031_the_shell_echoes_neither_the_url_nor_the_host(server, value):
    from urllib.parse import quote

    answer = ask(
        server, "GET", f"/province/50?period={quote(value)}&kpi={quote(value)}", headers={"Host": "evil.example:48151"}
    )
    assert answer.status == 200
    assert "evil.example" not in answer.text and ":48151" not in answer.text
    assert value not in answer.text and quote(value) not in answer.text and "twitter:url" not in answer.text


def test_sec032_named_parameters_are_escaped_data(server):
    """Where a page names a wrong value, it is a string in Dash's JSON (drawn as text by React,
    never as markup), quoted cut short; the wall's data quotes at most 40 characters."""
    value = "<img src=x onerror=alert(1)>" + "z" * 200
    answer = route(server, "/province/50", "?period=" + value)
    assert answer.headers["Content-Type"].startswith("application/json")
    assert "ไม่เข้าใจค่า “<img src=x onerror=alert(1)>zzz" in answer.words and "z" * 41 not in answer.text
    wall = ask(server, "GET", "/wall/data?province=" + value.replace(" ", "%20"))
    assert wall.headers["Content-Type"].startswith("application/json") and "z" * 41 not in wall.text


# =========================================================================== the snapshot's page URL


@pytest.mark.parametrize(
    "page",
    [
        "//127.0.0.1:9/",
        "/\\127.0.0.1:9/",
        "/%2F%2F127.0.0.1:9/",
        "http://127.0.0.1:9/",
        "/@127.0.0.1:9",
        "/province/50?period=2569#@127.0.0.1:9",
        "/a b?x=<y>",
        "/../..//127.0.0.1:9",
    ],
)
def test_sec040_the_snapshot_url_stays_on_the_internal_base(page):
    from reports.render import RequestGuard, origin_of
    from reports.snapshot import snapshot_url

    base = "http://127.0.0.1:8050"
    url = snapshot_url(base, page)
    assert url.startswith(base + "/") and origin_of(url) == ("http", "127.0.0.1", 8050)
    assert " " not in url and "<" not in url and "#" not in url
    assert RequestGuard((base,)).allows(url)


def test_sec041_the_request_guard_allows_only_its_bases():
    from reports.render import RequestGuard

    guard = RequestGuard(("http://127.0.0.1:8050",))
    assert guard.allows("http://127.0.0.1:8050/_dash-layout") and guard.allows("HTTP://127.0.0.1:8050/")
    for url in (
        "http://127.0.0.1:8051/",
        "http://localhost:8050/",
        "https://127.0.0.1:8050/",
        "http://127.0.0.1/",
        "http://u:p@127.0.0.1:8050/",
        "file:///etc/passwd",
        "ws://127.0.0.1:8050/",
        "data:text/html,x",
        "http://127.0.0.1:8050@evil/",
        "http://[::1]:8050/",
        "http://127.0.0.1:notaport/",
    ):
        assert not guard.allows(url), url
    files = RequestGuard(("file:",))
    assert files.allows("file:///tmp/x.html") and not files.allows("http://127.0.0.1:8050/")
    prefixed = RequestGuard(("http://10.0.0.5:80/poc",))
    assert prefixed.allows("http://10.0.0.5/poc/x") and not prefixed.allows("http://10.0.0.5/pocx")


def test_sec042_the_internal_url_is_the_setting_or_the_bound_address(monkeypatch):
    from flask import Flask

    from reports.snapshot import checked_base, internal_url

    monkeypatch.setenv("POC_HOST", "0.0.0.0")
    monkeypatch.setenv("POC_PORT", "8123")
    get_settings.cache_clear()
    try:
        assert internal_url() == "http://127.0.0.1:8123"  # no request: where `poc serve` binds
        with Flask(__name__).test_request_context("/", headers={"Host": "evil.example:1"}):
            assert internal_url() == "http://127.0.0.1:8123"  # never the Host header
        monkeypatch.setenv("POC_INTERNAL_URL", "http://10.0.0.5:8050/")
        get_settings.cache_clear()
        assert internal_url() == "http://10.0.0.5:8050"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    for wrong in ("ftp://x/", "http://u:p@h/", "http://h/?q=1", "h:8050", "http://h:port/"):
        with pytest.raises(ValueError, match="POC_INTERNAL_URL"):
            checked_base(wrong)
