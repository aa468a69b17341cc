"""Every browser asset served by the app itself: Bootstrap, Bootstrap Icons, Sarabun and plotly.js.

Bootstrap and Sarabun come from installed Python packages (bootstrap-flask, fontpkg-sarabun);
plotly.js is the project's own partial bundle (vendor/plotly: the core and the five trace types
the dashboard draws, 1.5 MB instead of the full 4.6 MB, and a third of the time to evaluate), so
the dashboard works on an intranet wall screen with no internet at all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import flask_bootstrap
import fontpkg_sarabun
from flask import Blueprint, Flask, Request, Response, abort, send_from_directory
from flask_compress import Compress

BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).resolve().parent / "static" / "bootstrap5"
SARABUN_DIR = Path(fontpkg_sarabun.ROOT) if hasattr(fontpkg_sarabun, "ROOT") else Path(fontpkg_sarabun.__file__).parent
SARABUN_FILES = SARABUN_DIR / "files" if (SARABUN_DIR / "files").is_dir() else SARABUN_DIR

PLOTLY_BUNDLE = Path(__file__).resolve().parents[1] / "vendor" / "plotly" / "plotly-poc.min.js"
# the content's hash in the URL: a rebuilt bundle is never taken from a browser's cache
PLOTLY_URL = f"/vendor/plotly-poc.min.js?v={hashlib.sha256(PLOTLY_BUNDLE.read_bytes()).hexdigest()[:12]}"
# A plain script tag: window.Plotly exists before the first dcc.Graph mounts, so dcc never fetches
# the full plotly.min.js of the plotly package, and the download starts with the page's.
SCRIPTS = [PLOTLY_URL]

STYLESHEETS = [
    "/vendor/bootstrap/css/bootstrap.min.css",
    "/vendor/bootstrap/css/font/bootstrap-icons.min.css",
    "/vendor/sarabun.css",
]
_WEIGHTS = {"Regular": 400, "Medium": 500, "SemiBold": 600, "Bold": 700}


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
    would otherwise be compressed again for every browser); answers are never cached."""

    def __init__(self) -> None:
        self._items: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._items.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";dynamic"):
            self._items[key] = value


def _compress_key(request: Request) -> str:
    if request.method == "GET" and request.path.startswith(STATIC_PREFIXES):
        return request.full_path  # Dash's asset URLs carry the package version
    return f"{request.method} {request.full_path};dynamic"


def enable_compression(server: Flask) -> None:
    """gzip every text answer (scripts, styles, fonts, the JSON of callbacks): a page's first
    visit moves about a quarter of the bytes. Compressed static assets are kept in memory."""
    server.config.update(
        COMPRESS_ALGORITHM=["gzip", "deflate"], COMPRESS_ALGORITHM_STREAMING=["deflate"], COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=1024, COMPRESS_CACHE_BACKEND=_StaticOnlyCache, COMPRESS_CACHE_KEY=_compress_key,
        COMPRESS_MIMETYPES=["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                            "image/svg+xml", "font/ttf", "application/x-font-ttf"],
    )
    Compress(server)


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

    @blueprint.route("/vendor/plotly-poc.min.js")
    def plotly_js():
        return send_from_directory(PLOTLY_BUNDLE.parent, PLOTLY_BUNDLE.name, max_age=86400 * 365)

    @blueprint.route("/vendor/sarabun.css")
    def sarabun():
        return Response(sarabun_css(), mimetype="text/css", headers={"Cache-Control": "max-age=86400"})

    return blueprint
