"""The security baseline of every HTTP answer the dashboard gives (issue 16).

* **Content-Security-Policy** on every response: scripts, styles, fonts, images and requests
  only from the app's own origin (`POLICY`). The page shell's inline scripts (Dash's renderer
  call and clientside callbacks, plotly's world map and promise from `web.assets`) are
  allowed by their SHA-256 hashes, computed from the very page served, so no script runs that
  the server did not write. What cannot be avoided is styles: `style-src 'unsafe-inline'`
  (see `STYLE_SOURCES`). `frame-ancestors 'none'`, or the origins in POC_FRAME_ANCESTORS.
* **X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer**, X-Frame-Options (DENY when
  no site may frame the app), Cross-Origin-Opener-Policy and Cross-Origin-Resource-Policy
  same-origin.
* **No server version**: Werkzeug's request handler (`poc serve`) answers `Server: POC`.
* **Unknown paths are 404**: Dash serves its page shell for any path and shows the page
  registered as not_found_404 where no page claims the path; the shell of such a path is
  answered with 404 (and the not-found page's title), the page itself unchanged.
* **Limits**: a request body over POC_MAX_REQUEST_BYTES is refused with 413 (by its declared
  length, or while it is read); a query string or path over POC_MAX_QUERY_LENGTH with 414 and
  a short body. Dash's page meta tags, which repeat the request's full URL, are left out.

POC_INTERNAL_URL, the base at which the server's own browser opens the app for a snapshot, is
checked at start-up too (`reports.snapshot.internal_url`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from html import escape

from flask import Flask, Response, abort, request

from settings import get_settings

SERVER_NAME = "POC"  # the Server header: no product version
STYLE_SOURCES = ("'self'", "'unsafe-inline'")  # plotly.js and Dash's components set inline styles (README: Security)
POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),  # + the hashes of the page's inline scripts
    ("style-src", " ".join(STYLE_SOURCES)),
    ("img-src", "'self' data: blob:"),  # Bootstrap's icons in its CSS are data: SVGs; plotly's image export, blob:
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
JS_TYPES = ("", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript")
ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?", re.IGNORECASE)


def install(app) -> None:
    """Wire the baseline into the Dash `app` (call after the app's other hooks, so that the
    headers are set on the final answer before compression)."""
    server: Flask = app.server
    settings = get_settings()
    frame_policy(settings.frame_ancestors)  # a wrong value stops start-up with its reason
    if settings.internal_url:
        from reports.snapshot import checked_base

        checked_base(settings.internal_url)
    server.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config.include_pages_meta = False  # twitter:/og: tags: they repeat the full request URL, Host header included
    hide_server_version()
    catchall = app.config.routes_pathname_prefix + "<path:path>"  # Dash's view of every other path: its shell
    server.view_functions[catchall] = shell_or_not_found(app, server.view_functions[catchall])

    @server.before_request
    def limit_request():
        limits = get_settings()
        request.max_content_length = limits.max_request_bytes
        if request.content_length is not None and request.content_length > limits.max_request_bytes:
            abort(413)
        if len(request.query_string) > limits.max_query_length or len(request.path) > limits.max_query_length:
            abort(414)

    @server.after_request
    def secure_response(response: Response) -> Response:
        secure_headers(response)
        return response


def hide_server_version() -> None:
    """Werkzeug's request handler (`poc serve`, tests) sends `Server: Werkzeug/x Python/y`
    before the app's own headers; it names no version any more. (Gunicorn sends `gunicorn`.)"""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = lambda self: SERVER_NAME


def claimed(app, path: str) -> bool:
    """Whether a page claims `path`, exactly as Dash's router decides it (dash._pages._path_to_page,
    used by the router callback); the not-found page's own path (/404) claims nothing."""
    from dash._pages import _path_to_page

    try:
        page, _variables = _path_to_page(app.strip_relative_path(path))
    except Exception:  # a path outside the app's prefix
        return False
    return bool(page) and page.get("module") != "not_found_404"


def shell_or_not_found(app, view):
    """Dash's catch-all view, answering 404 (the same shell, which draws the not-found page,
    titled as it) for a path no page claims."""

    @functools.wraps(view)
    def shell(*args, **kwargs):
        answer = view(*args, **kwargs)
        if claimed(app, request.path) or not isinstance(answer, str):
            return answer
        import dash

        title = next(
            (page["title"] for page in dash.page_registry.values() if page.get("module") == "not_found_404"), None
        )
        if isinstance(title, str):
            answer = re.sub(
                r"<title>.*?</title>", lambda _m: f"<title>{escape(title)}</title>", answer, count=1, flags=re.DOTALL
            )
        return answer, 404

    return shell


def secure_headers(response: Response) -> None:
    hashes: tuple[str, ...] = ()
    if response.mimetype == "text/html" and not response.is_streamed and not response.direct_passthrough:
        hashes = inline_script_hashes(response.get_data(as_text=True))
    settings = get_settings()
    response.headers["Content-Security-Policy"] = content_security_policy(hashes, settings.frame_ancestors)
    frame_options = x_frame_options(settings.frame_ancestors)
    if frame_options:
        response.headers["X-Frame-Options"] = frame_options
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers.pop("Server", None)


def inline_script_hashes(html: str) -> tuple[str, ...]:
    """CSP hash sources ('sha256-…') of every inline script the page runs: script elements without
    src whose type is JavaScript (Dash's JSON config is data, not a script), outside comments."""
    found = []
    for attributes, body in SCRIPT.findall(HTML_COMMENT.sub("", html)):
        kind = SCRIPT_TYPE.search(attributes)
        if re.search(r"\bsrc\s*=", attributes, re.IGNORECASE) or (kind and kind.group(1).lower() not in JS_TYPES):
            continue
        found.append(body)
    return _hashes(tuple(found))


@functools.lru_cache(maxsize=64)
def _hashes(bodies: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode('ascii')}'"
            for body in bodies
        )
    )


@functools.lru_cache(maxsize=64)
def content_security_policy(script_hashes: tuple[str, ...], frame_ancestors: str) -> str:
    parts = [
        f"{name} {value}" + (" " + " ".join(script_hashes) if name == "script-src" and script_hashes else "")
        for name, value in POLICY
    ]
    parts.append(f"frame-ancestors {frame_policy(frame_ancestors)}")
    return "; ".join(parts)


@functools.lru_cache(maxsize=8)
def frame_policy(setting: str) -> str:
    """The frame-ancestors sources of POC_FRAME_ANCESTORS: 'none', or 'self' and origins
    (https://intranet.example.go.th, https://*.example.go.th); anything else is refused."""
    tokens = [token for token in re.split(r"[\s,]+", setting.strip()) if token]
    if not tokens or [token.strip("'").lower() for token in tokens] == ["none"]:
        return "'none'"
    sources = []
    for token in tokens:
        if token.strip("'").lower() == "self":
            sources.append("'self'")
        elif ORIGIN.fullmatch(token):
            sources.append(token.rstrip("/"))
        else:
            raise ValueError(
                f"POC_FRAME_ANCESTORS: {token[:80]!r} is not an origin (https://host[:port]), 'self' or none"
            )
    return " ".join(dict.fromkeys(sources))


def x_frame_options(setting: str) -> str | None:
    """The older header browsers still honour: DENY for no framing, SAMEORIGIN for 'self' alone;
    none when other origins may frame the app (X-Frame-Options cannot name them)."""
    policy = frame_policy(setting)
    return "DENY" if policy == "'none'" else "SAMEORIGIN" if policy == "'self'" else None
