"""Every browser asset served by the app itself: Bootstrap, Bootstrap Icons, Sarabun and plotly.js.

Bootstrap and Sarabun come from installed Python packages (bootstrap-flask, fontpkg-sarabun);
plotly.js and regenerator-runtime are the project's own builds (vendor/js), so the dashboard
works on an intranet wall screen with no internet at all.

What a first visit costs is mostly the browser's script work, so the page is trimmed for it:
plotly.js is a partial bundle (the core and the five trace types the dashboard draws: 1.5 MB
instead of 4.6 MB, about a fifth of the time to evaluate) loaded `async`, so it evaluates while
the page's layout is fetched and computed, with `window.Plotly` a promise until then (dcc.Graph
waits on it instead of fetching the full plotly.min.js); Dash's Babel polyfill (for browsers the
dashboard does not support) is left out, with the one global it provided, regeneratorRuntime,
from a 7 KB build; plotly's world map is given inline, and dcc's graph and dropdown chunks are
preloaded, so neither waits for a request that starts only after the layout arrives.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from pathlib import Path

import flask_bootstrap
import fontpkg_sarabun
from flask import Blueprint, Flask, Request, Response, abort, request, send_from_directory
from flask_compress import Compress

BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).resolve().parent / "static" / "bootstrap5"
SARABUN_DIR = Path(fontpkg_sarabun.ROOT) if hasattr(fontpkg_sarabun, "ROOT") else Path(fontpkg_sarabun.__file__).parent
SARABUN_FILES = SARABUN_DIR / "files" if (SARABUN_DIR / "files").is_dir() else SARABUN_DIR

ROOT = Path(__file__).resolve().parents[1]
JS_DIR = ROOT / "vendor" / "js"
PLOTLY_BUNDLE = JS_DIR / "plotly-poc.min.js"
REGENERATOR_JS = JS_DIR / "regenerator-runtime.min.js"
WORLD_TOPOJSON = ROOT / "assets" / "topojson" / "world_110m.json"  # empty: maps have no basemap


def _versioned(path: Path) -> str:
    """The URL with the content's hash: a rebuilt file is never taken from a browser's cache."""
    return f"/vendor/js/{path.name}?v={hashlib.sha256(path.read_bytes()).hexdigest()[:12]}"


PLOTLY_URL = _versioned(PLOTLY_BUNDLE)
SCRIPTS = [_versioned(REGENERATOR_JS), {"src": PLOTLY_URL, "async": "async"}]

STYLESHEETS = [
    "/vendor/bootstrap/css/bootstrap.min.css",
    "/vendor/bootstrap/css/font/bootstrap-icons.min.css",
    "/vendor/sarabun.css",
]
_WEIGHTS = {"Regular": 400, "Medium": 500, "SemiBold": 600, "Bold": 700}


def plotly_geo_assets() -> str:
    """A script giving plotly its world map inline, so a map never waits for (or asks a CDN for) it."""
    world = WORLD_TOPOJSON.read_text(encoding="utf-8")
    return f'<script>window.PlotlyGeoAssets = {{topojson: {{"world_110m": {world}}}}};</script>'


PRELOAD_MARK = "<!--dcc-chunk-preloads-->"
ICONS_CSS = BOOTSTRAP_DIR / "css" / "font" / "bootstrap-icons.min.css"
EVERY_PAGE_FONTS = ("Sarabun-Regular.ttf", "Sarabun-SemiBold.ttf")  # the body text and the headings of every page


def font_preloads() -> str:
    """Preloads of the fonts every page draws text in (Sarabun regular and semibold, the icons):
    requested with the scripts instead of once the page's text is laid out, so text and plotly's
    labels (measured when drawn) come in Sarabun at once rather than after a fallback face."""
    icons = re.search(r'url\("?(fonts/bootstrap-icons\.woff2[^")]*)"?\)', ICONS_CSS.read_text(encoding="utf-8"))
    links = [(f"/vendor/fonts/{name}", "font/ttf") for name in EVERY_PAGE_FONTS]
    if icons:
        links.append((f"/vendor/bootstrap/css/font/{icons.group(1)}", "font/woff2"))
    return "".join(f'<link rel="preload" as="font" type="{kind}" href="{href}" crossorigin>' for href, kind in links)


def index_head() -> str:
    """What the page head gets before the scripts: plotly's world map, the promise that stands
    for plotly.js until its async script has run (plotly-entry.js resolves it), and the place of
    the chunk preloads (`chunk_preloads`, chosen per request)."""
    return (
        font_preloads()
        + plotly_geo_assets()
        + "<script>if (!window.Plotly) { var resolvePlotly; window.Plotly = new Promise(function (resolve) "
        "{ resolvePlotly = resolve; }); window.Plotly.__pocResolve = resolvePlotly; }</script>" + PRELOAD_MARK
    )


def chunk_preloads(chunks: tuple[str, ...]) -> str:
    """Preloads of dcc's lazily loaded `chunks` ("graph", "dropdown"): a page that draws them
    does not wait for requests that start only once its layout has arrived. Only those a page
    surely draws: Chromium warns of a preload left unused."""
    return "".join(
        f'<link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-{chunk}.js">' for chunk in chunks
    )


def drop_babel_polyfill() -> None:
    """Leaves Dash's @babel/polyfill (90 KB, ~0.1-0.25 s of script work per visit) out of every
    page; SCRIPTS brings regeneratorRuntime instead, the only part Dash's components use."""
    from dash import _dash_renderer

    for dependency in _dash_renderer._js_dist_dependencies:
        paths = dependency.get("relative_package_path")
        if isinstance(paths, dict):
            for mode, files in paths.items():
                paths[mode] = [name for name in files if "polyfill" not in name]


def sarabun_css() -> str:
    """@font-face rules for the Sarabun weights the dashboard uses."""
    rules = []
    for style, weight in _WEIGHTS.items():
        rules.append(
            "@font-face{font-family:'Sarabun';font-style:normal;font-display:block;"
            f"font-weight:{weight};src:url('/vendor/fonts/Sarabun-{style}.ttf') format('truetype');}}"
        )
    return "\n".join(rules)


def sarabun_path(style: str = "Regular") -> Path:
    """The TTF file of a Sarabun weight (also used by the PDF renderer)."""
    return SARABUN_FILES / f"Sarabun-{style}.ttf"


STATIC_PREFIXES = ("/_dash-component-suites/", "/vendor/", "/assets/")


class _StaticOnlyCache:
    """Flask-Compress's cache, holding compressed static assets only (plotly.js is 4.6 MB and
    would otherwise be compressed again for every browser); answers are never cached.

    Keyed by the file's path, not its URL (a query string changes nothing of what is served, and
    keying on it let any client grow the cache without end), and bounded: past `MAX_BYTES` the
    least recently used files are dropped (they are compressed again when asked for)."""

    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";dynamic") or len(value) > self.MAX_BYTES:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            self._items[key] = value
            self._bytes += len(value)
            while self._bytes > self.MAX_BYTES:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size_bytes(self) -> int:
        return self._bytes


def _compress_key(request: Request) -> str:
    if request.method == "GET" and request.path.startswith(STATIC_PREFIXES):
        return request.path  # a path names one file; its query string (Dash's ?m=, or anything) does not
    return f"{request.method} {request.path};dynamic"


def enable_compression(server: Flask) -> None:
    """gzip every text answer (scripts, styles, fonts, the JSON of callbacks): a page's first
    visit moves about a quarter of the bytes. Compressed static assets are kept in memory."""
    server.config.update(
        COMPRESS_ALGORITHM=["gzip", "deflate"],
        COMPRESS_ALGORITHM_STREAMING=["deflate"],
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=1024,
        COMPRESS_CACHE_BACKEND=_StaticOnlyCache,
        COMPRESS_CACHE_KEY=_compress_key,
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
            "font/ttf",
            "application/x-font-ttf",
        ],
    )
    server.extensions["poc_compress"] = Compress(server)

    @server.after_request  # registered after Compress, so it runs before it
    def buffer_static_files(response):
        """Static files are sent as streams, which Flask-Compress would deflate again for every
        request (the bundle alone is ~60 ms of CPU, contending with the page's other requests);
        read whole, they are compressed once and served from the cache."""
        if response.is_streamed and response.status_code == 200 and request.path.startswith(STATIC_PREFIXES):
            response.direct_passthrough = False
            response.make_sequence()
        return response


def first_visit_assets(server: Flask) -> list[str]:
    """The static files a first visit asks for: the page's scripts, styles and preloads, the
    Sarabun weights and dcc's lazily loaded chunks. Renders the page once, which also does Dash's
    first-request set-up, so call it before the server takes requests."""
    page = _page_shell(server)
    urls = set(re.findall(r'(?:src|href)="(/[^"#]+)"', page))
    urls |= {f"/vendor/fonts/Sarabun-{style}.ttf" for style in _WEIGHTS}
    urls |= {f"/_dash-component-suites/dash/dcc/async-{chunk}.js" for chunk in ("graph", "dropdown", "markdown")}
    return sorted(u for u in urls if u.startswith(STATIC_PREFIXES))


def _page_shell(server: Flask) -> str:
    """Dash's page shell (the same for every page, with no data in it), drawn inside the process
    without a visitor: Dash's own set-up runs first, but not the sign-in gate (web.auth)."""
    with server.test_request_context("/"):
        for hook in server.before_request_funcs.get(None, []):
            if getattr(hook, "__module__", "").startswith("dash"):
                hook()
        endpoint, values = server.url_map.bind("localhost").match("/")
        answer = server.view_functions[endpoint](**values)
    return answer if isinstance(answer, str) else answer[0] if isinstance(answer, tuple) else ""


def warm_static_cache(server: Flask, urls: list[str]) -> int:
    """Compress `urls` into the cache now. Otherwise the first visitor after a start waits on it:
    about 0.1 s of CPU on the 2-core machine, competing with the browser's own work. Returns how
    many files were warmed; `app.create_app` runs it in a background thread."""
    client = server.test_client()
    return sum(client.get(url, headers={"Accept-Encoding": "gzip"}).status_code == 200 for url in urls)


def warm_in_background(server: Flask) -> None:
    """`warm_static_cache` for a first visit's assets, in a background thread: only a cache, so a
    failure is logged and the app goes on."""
    urls = first_visit_assets(server)

    def warm() -> None:
        try:
            warm_static_cache(server, urls)
        except Exception:  # only a cache: a failure here must not stop the app
            logging.getLogger(__name__).warning("could not warm the static asset cache", exc_info=True)

    threading.Thread(target=warm, name="warm-assets", daemon=True).start()


def vendor_blueprint() -> Blueprint:
    blueprint = Blueprint("vendor", __name__)

    @blueprint.route("/vendor/bootstrap/<path:filename>")
    def bootstrap(filename: str):
        return send_from_directory(BOOTSTRAP_DIR, filename, max_age=86400)

    @blueprint.route("/vendor/fonts/<name>")
    def fonts(name: str):
        if not name.startswith("Sarabun-") or not name.endswith(".ttf"):
            abort(404)
        return send_from_directory(SARABUN_FILES, name, max_age=86400)

    @blueprint.route("/vendor/js/<name>")
    def scripts(name: str):
        if name not in (PLOTLY_BUNDLE.name, REGENERATOR_JS.name):
            abort(404)
        return send_from_directory(JS_DIR, name, max_age=86400 * 365)

    @blueprint.route("/vendor/sarabun.css")
    def sarabun():
        return Response(sarabun_css(), mimetype="text/css", headers={"Cache-Control": "max-age=86400"})

    return blueprint
