"""Creates the dashboard: a Dash app with pages, local assets only, and `server` for WSGI."""

from __future__ import annotations

import contextvars
import threading
from pathlib import Path

import dash  # noqa: F401  (Dash sets its context variables on import: see _IMPORT_CONTEXT)

ROOT = Path(__file__).resolve().parent


def create_app():
    """A new app. The catalog is validated first, so a wrong YAML stops start-up with its reason."""
    import callbacks  # noqa: F401  (registers every callback)
    from data.query.cache import freeze_startup_heap, new_request
    from data.rules.catalog import get_catalog
    from data.store.engine import serve_mode
    from layouts.components.shell import create_shell
    from settings import get_settings
    from web import admin, answers, assets, auth, directory, errors, health, login, proxies, security
    from web.index import PocDash

    get_catalog()
    serve_mode()  # the dashboard's time limits on the store (settings store_timeout, statement_timeout)
    assets.drop_babel_polyfill()
    app = PocDash.for_pages(__name__, ROOT, external_stylesheets=assets.STYLESHEETS, external_scripts=assets.SCRIPTS)
    server = app.server
    server.before_request(new_request)  # what one request met of the store is not the next one's
    server.register_error_handler(Exception, errors.handled_error)
    server.register_blueprint(assets.vendor_blueprint())
    assets.enable_compression(server)
    server.register_blueprint(callbacks.wall.wall_blueprint())  # the wall screen's JSON data
    security.install(app)  # headers, 404s and limits; after compression's hook
    answers.install_page_cache(server)  # after the compression: pages are kept before it, sent gzipped
    for blueprint in (health.health_blueprint(), login.login_blueprint(), admin.blueprint(), directory.blueprint()):
        server.register_blueprint(blueprint)
    auth.install(server)  # denied by default: the gate runs before every hook but the size limits (issue 18)
    server.wsgi_app = proxies.TrustedProxies(server.wsgi_app, proxies.parse_networks(get_settings().trusted_proxies))
    app.index_string = app.index_string.replace("{%css%}", "{%css%}" + assets.index_head())
    app.layout = create_shell()
    if get_settings().warm_assets:
        assets.warm_in_background(server)  # the first visitor after a start need not wait on gzip
    freeze_startup_heap()
    return app


_server_lock = threading.Lock()
_IMPORT_CONTEXT = contextvars.copy_context()  # Dash's context variables, for a thread other than the importing one


def __getattr__(name: str):
    """`app:server` for gunicorn: the app is created on first use, once per process."""
    if name != "server":
        raise AttributeError(name)
    with _server_lock:
        if "server" not in globals():
            globals()["server"] = _IMPORT_CONTEXT.copy().run(create_app).server
    return globals()["server"]
