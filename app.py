"""Creates the dashboard: a Dash app with pages, local assets only, and `server` for WSGI."""

from __future__ import annotations

import contextvars
import logging
import os
import threading
import traceback
from pathlib import Path

import dash

from layouts.shell import create_shell
from web.assets import (PRELOAD_MARK, SCRIPTS, STYLESHEETS, chunk_preloads, drop_babel_polyfill, enable_compression,
                            first_visit_assets, index_head, vendor_blueprint, warm_static_cache)

ROOT = Path(__file__).resolve().parent


class PocDash(dash.Dash):
    """Dash with the page head chosen per URL: dcc's chunk preloads for the pages that draw them."""

    def interpolate_index(self, **kwargs) -> str:
        from flask import has_request_context, request

        index = super().interpolate_index(**kwargs)
        chunks = dcc_chunks_drawn(request.path) if has_request_context() else ()
        return index.replace(PRELOAD_MARK, chunk_preloads(chunks))


def dcc_chunks_drawn(path: str) -> tuple[str, ...]:
    """The dcc chunks the page at `path` surely draws: every dashboard page has a period
    selector (a dropdown); the overview, a province, a cluster and a KPI page always have a
    graph, a district only where it has subdistrict data. Unknown codes, /data and /wall: none."""
    from data.rules.catalog import get_catalog
    from data.store.engine import get_engine
    from data.query import area, cluster_code_of

    parts = [part for part in path.split("/") if part]
    if not parts:
        return ("graph", "dropdown")
    if len(parts) != 2:
        return ()
    kind, code = parts
    try:  # the query layer's own lookups (cached reference data), as the pages make them
        if kind in ("province", "district"):
            known = area(get_engine(), code).level == kind
        elif kind == "cluster":
            known = code.isdigit() and bool(cluster_code_of(get_engine(), int(code)))
        else:
            known = kind == "kpi" and code in get_catalog().by_id()
    except Exception:  # an unknown code (UnknownArea), or a store that cannot answer: the page says why
        known = False
    if not known:
        return ()
    return ("dropdown",) if kind == "district" else ("graph", "dropdown")


def create_app() -> dash.Dash:
    """A new app. The catalog is validated first, so a wrong YAML stops start-up with its reason."""
    from data.query.cache import freeze_startup_heap
    from data.rules.catalog import get_catalog
    from data.store.engine import serve_mode
    from settings import get_settings

    get_catalog()
    serve_mode()  # the dashboard's time limits on the store (settings store_timeout, statement_timeout)
    drop_babel_polyfill()
    app = PocDash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "pages"),
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=STYLESHEETS,
        external_scripts=SCRIPTS,
        serve_locally=True,
        title="ศูนย์ปฏิบัติการจังหวัด",
        update_title=None,
        suppress_callback_exceptions=True,
    )
    from data.query.cache import new_request

    app.server.before_request(new_request)  # what one request met of the store is not the next one's
    app.server.register_error_handler(Exception, handled_error)
    app.server.register_blueprint(vendor_blueprint())
    enable_compression(app.server)
    from callbacks.wall import wall_blueprint  # the wall screen's JSON data

    app.server.register_blueprint(wall_blueprint())
    from web.security import install as install_security  # headers, 404s and limits; after compression's hook

    install_security(app)
    from web.answers import install_page_cache
    from web.health import health_blueprint
    from web.proxies import TrustedProxies, parse_networks

    install_page_cache(app.server)  # after the compression: pages are kept before it, sent gzipped
    app.server.register_blueprint(health_blueprint())  # /healthz for load balancers
    app.server.wsgi_app = TrustedProxies(app.server.wsgi_app, parse_networks(get_settings().trusted_proxies))
    app.index_string = app.index_string.replace("{%css%}", "{%css%}" + index_head())
    app.layout = create_shell()
    if os.environ.get("POC_WARM_ASSETS", "1") != "0":  # the first visitor after a start need not wait on gzip
        urls = first_visit_assets(app.server)
        threading.Thread(target=_warm_assets, args=(app.server, urls), name="warm-assets", daemon=True).start()
    freeze_startup_heap()
    return app


OWN_CODE = tuple(str(ROOT / room) + os.sep for room in ("pages", "layouts", "data", "callbacks", "reports", "geo"))


def handled_error(error: Exception):
    """Every failure gets a handled answer, never Werkzeug's traceback page. A request Dash
    could not even read (crafted or truncated: the failure lies in Dash before any code of
    ours ran) is a 400 and one warning line; a failure in our own code is a bug: 500, logged
    with its traceback."""
    from flask import jsonify, request
    from werkzeug.exceptions import HTTPException

    if isinstance(error, HTTPException):
        return error
    frames = traceback.extract_tb(error.__traceback__)
    if not any(frame.filename.startswith(OWN_CODE) for frame in frames):
        logging.getLogger(__name__).warning("refused a malformed request to %s: %s: %s", request.path[:200],
                                            type(error).__name__, str(error)[:200])
        return jsonify({"error": "malformed request"}), 400
    logging.getLogger(__name__).error("request to %s failed", request.path[:200], exc_info=error)
    return jsonify({"error": "the server could not answer this request"}), 500


def _warm_assets(server, urls: list[str]) -> None:
    try:
        warm_static_cache(server, urls)
    except Exception:  # only a cache: a failure here must not stop the app
        logging.getLogger(__name__).warning("could not warm the static asset cache", exc_info=True)


_server_lock = threading.Lock()
# Dash keeps state in context variables set when it is imported; a thread other than the importing
# one (a WSGI server's request thread reading `app.server` first) builds the app in a copy of these
_IMPORT_CONTEXT = contextvars.copy_context()


def __getattr__(name: str):
    """`app:server` for a WSGI server (gunicorn app:server): the app is created on first use,
    once per process (every later read is this module's attribute)."""
    if name != "server":
        raise AttributeError(name)
    with _server_lock:
        if "server" not in globals():
            globals()["server"] = _IMPORT_CONTEXT.copy().run(create_app).server
    return globals()["server"]


if __name__ == "__main__":
    from settings import get_settings

    settings = get_settings()
    create_app().run(host=settings.host, port=settings.port)
