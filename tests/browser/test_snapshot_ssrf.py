"""The Snapshot (PDF) is no SSRF (issue 16, point 1), in a real browser.

A canary HTTP server on another loopback port records every request it gets. The Snapshot (PDF)
callback is posted to the running app with Host headers naming the canary, a closed port, a
metadata address and a foreign name, and with page paths that try to leave the app
("//host:port/", "/\\host", "/%2F%2F…"): the canary sees nothing, the answer is a PDF of
the app's own page (read back with poppler) or a handled refusal, and no message names a host or
a port; a page that is no path is refused. The printing browser itself is fenced in: a page on
an allowed base (a small "site" server standing in for the app) and a report file that ask for
the canary in every way a page can (images, styles, scripts, frames, fetch, beacons, WebSockets,
EventSource, a pop-up, a redirect, a redirect after a redirect inside the base) get none of it
through, while requests to the base, and its redirects inside the base, still are; the real ESR
still prints."""

from __future__ import annotations

import base64
import http.client
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import CHROMIUM, Recorder

# `live_server` (the app reading a demo store) is a conftest fixture


@pytest.fixture
def canary():
    server = Recorder()
    yield server
    server.stop()


# =========================================================================== the snapshot callback


def snapshot_payload(pathname: str, search: str) -> str:
    buttons = ("esr-pdf", "esr-xlsx", "esr-snapshot")
    return json.dumps(
        {
            "output": "..esr-file.data...esr-message.children..",
            "outputs": [{"id": "esr-file", "property": "data"}, {"id": "esr-message", "property": "children"}],
            "inputs": [{"id": b, "property": "n_clicks", "value": 1 if b == "esr-snapshot" else None} for b in buttons],
            "state": [
                {
                    "id": "esr-request",
                    "property": "data",
                    "value": {"kind": "province", "code": "50", "period": "2569", "lang": "th"},
                },
                {"id": "url", "property": "pathname", "value": pathname},
                {"id": "url", "property": "search", "value": search},
            ],
            "changedPropIds": ["esr-snapshot.n_clicks"],
        }
    )


def click_snapshot(app_url: str, host: str, pathname: str, search: str = "") -> tuple[bytes | None, str]:
    """Post the Snapshot (PDF) click with the given Host header: (the PDF or None, the message)."""
    app = urlsplit(app_url)
    connection = http.client.HTTPConnection(app.hostname, app.port, timeout=300)
    try:
        connection.request(
            "POST",
            "/_dash-update-component",
            body=snapshot_payload(pathname, search),
            headers={"Host": host, "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200, body[:500]
    answer = json.loads(body)["response"]
    data = answer.get("esr-file", {}).get("data") if isinstance(answer.get("esr-file"), dict) else None
    message = json.dumps(answer.get("esr-message"), ensure_ascii=False)
    return (base64.b64decode(data["content"]) if data else None), message


def pdf_text(pdf: bytes, folder: Path) -> str:
    if not shutil.which("pdftotext"):
        return ""
    path = folder / "snapshot.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


ADDRESS = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|localhost|\[::1?\]|:\d{2,5}\b|net::|ERR_|refused", re.IGNORECASE)


@pytest.mark.parametrize("host", ["{canary}", "localhost:{port}", "127.0.0.1:1", "169.254.169.254", "evil.example:80"])
def test_ssr001_the_host_header_never_chooses_what_is_printed(live_server, canary, tmp_path, host):
    host = host.format(canary=f"127.0.0.1:{canary.port}", port=canary.port)
    pdf, message = click_snapshot(live_server, host, "/province/50", "?period=2569")
    assert canary.seen == []
    assert pdf is not None and pdf.startswith(b"%PDF"), message
    text = pdf_text(pdf, tmp_path)
    assert not text or "จังหวัดเชียงใหม่" in text  # the app's own page
    assert not ADDRESS.search(message), message


@pytest.mark.parametrize(
    "pathname, search, drawn",
    [
        ("//127.0.0.1:{port}/", "", None),
        ("/\\127.0.0.1:{port}/", "", "ไม่พบหน้านี้"),
        ("/%2F%2F127.0.0.1:{port}/", "", "ไม่พบหน้านี้"),
        ("/..//..//127.0.0.1:{port}/", "?period=2569#//127.0.0.1:{port}/", None),
        ("/province/50", "?period=2569&next=//127.0.0.1:{port}/", "จังหวัดเชียงใหม่"),
    ],
)
def test_ssr002_a_page_path_cannot_leave_the_app(live_server, canary, tmp_path, pathname, search, drawn):
    pathname, search = pathname.format(port=canary.port), search.format(port=canary.port)
    pdf, message = click_snapshot(live_server, f"127.0.0.1:{canary.port}", pathname, search)
    assert canary.seen == []
    if pdf is None:  # a handled refusal, naming only what the client sent
        assert "ไม่ได้จัดทำไฟล์" in message and "net::" not in message and "ERR_" not in message, message
        return
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert not text or "ศูนย์ปฏิบัติการจังหวัด" in text
    assert not drawn or not text or drawn in text


def test_ssr003_a_page_that_is_not_a_path_is_refused(live_server, canary):
    pdf, message = click_snapshot(live_server, f"127.0.0.1:{canary.port}", f"http://127.0.0.1:{canary.port}/")
    assert canary.seen == [] and pdf is None
    assert "ไม่ได้จัดทำไฟล์" in message or "ไม่เข้าใจค่า" in message, message
    assert "net::" not in message and "ERR_" not in message


# =========================================================================== the printing browser itself


def canary_bait(canary_url: str) -> str:
    """Every way a page can ask another address for something."""
    ws = canary_url.replace("http://", "ws://")
    return (
        f'<img src="{canary_url}/img"><link rel="stylesheet" href="{canary_url}/css">'
        f'<script src="{canary_url}/js"></script><iframe src="{canary_url}/frame"></iframe>'
        f'<link rel="prefetch" href="{canary_url}/prefetch"><link rel="icon" href="{canary_url}/icon">'
        f'<div style="background:url({canary_url}/background)">x</div>'
        f'<video src="{canary_url}/video"></video><object data="{canary_url}/object"></object>'
        "<script>"
        f"fetch('{canary_url}/fetch', {{mode: 'no-cors'}}).catch(() => 0);"
        f"try {{ navigator.sendBeacon('{canary_url}/beacon', 'x'); }} catch (e) {{}}"
        f"try {{ new WebSocket('{ws}/socket'); }} catch (e) {{}}"
        f"try {{ new EventSource('{canary_url}/events'); }} catch (e) {{}}"
        f"const x = new XMLHttpRequest(); x.open('GET', '{canary_url}/xhr'); x.onerror = () => 0; x.send();"
        f"try {{ window.open('{canary_url}/popup'); }} catch (e) {{}}"
        "</script>"
    )


def print_job(job) -> bytes:
    from reports.render import PdfRenderer

    renderer = PdfRenderer(CHROMIUM, 30.0)
    try:
        return renderer.pdf(job)
    finally:
        renderer.close()


def test_ssr010_a_page_on_the_base_reaches_nothing_else(canary):
    """The base (a stand-in for the app) is reached, a redirect inside it is followed; the canary,
    asked for directly, through a redirect and after a redirect inside the base, is not."""
    from reports.render import PdfJob

    page = f"""<!doctype html><html><body><h1>site</h1>{canary_bait(canary.url)}
        <img src="/inside"><img src="/outside"><img src="/chain">
        <script>setTimeout(() => {{ window.DONE = true; }}, 800);</script></body></html>"""
    html = {"Content-Type": "text/html"}
    site = Recorder(
        {
            "/page": (200, html, page.encode()),
            "/inside": (302, {"Location": "/landed"}, b""),
            "/outside": (302, {"Location": f"{canary.url}/redirected"}, b""),
            "/chain": (302, {"Location": "/outside"}, b""),
        }
    )
    try:
        pdf = print_job(
            PdfJob(url=f"{site.url}/page", allowed=(site.url,), wait_for="window.DONE === true", wait_until="load")
        )
    finally:
        site.stop()
    assert pdf.startswith(b"%PDF")
    assert canary.seen == []
    assert {"GET /page", "GET /inside", "GET /landed", "GET /outside", "GET /chain"} <= set(site.seen), site.seen


def test_ssr011_a_report_file_reaches_no_address_at_all(canary, tmp_path):
    """An ESR-like job (a local file, which may load local files only) that asks for the canary:
    a PDF, and the canary sees nothing."""
    from reports.render import PdfJob

    (tmp_path / "style.css").write_text("h1 { color: #0b3d6e; }", encoding="utf-8")
    page = tmp_path / "report.html"
    page.write_text(
        f"""<!doctype html><html><head><link rel="stylesheet" href="style.css"></head><body>
        <h1>report</h1>{canary_bait(canary.url)}
        <script>setTimeout(() => {{ window.ESR_READY = true; }}, 800);</script></body></html>""",
        encoding="utf-8",
    )
    pdf = print_job(PdfJob(url=page.as_uri()))
    assert pdf.startswith(b"%PDF")
    assert canary.seen == []


def test_ssr011b_a_failure_names_no_address(live_server):
    """An internal base that does not answer (a closed port): a RenderError that says so without
    naming the address or the port."""
    import socket

    from reports.render import RenderError
    from reports.snapshot import snapshot_pdf

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(RenderError) as failure:
        snapshot_pdf(f"http://127.0.0.1:{port}", "/province/50", "th")
    assert "127.0.0.1" not in str(failure.value) and str(port) not in str(failure.value), failure.value


def test_ssr012_the_real_esr_shell_still_prints(live_server):
    """The ESR (a file:// shell with local fonts, CSS and plotly.js) still works behind the guard."""
    from data.store.engine import get_engine
    from reports.content import EsrRequest
    from reports.export import esr_pdf
    from reports.render import close_renderer

    try:
        pdf = esr_pdf(get_engine(), EsrRequest("province", "50", None, "th"))
    finally:
        close_renderer()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
