"""Creates the dashboard: a Dash app with pages, local assets only, and `server` for WSGI."""

from __future__ import annotations

from pathlib import Path

import dash

from layouts.shell import create_shell
from layouts.vendor import SCRIPTS, STYLESHEETS, drop_babel_polyfill, enable_compression, index_head, vendor_blueprint

ROOT = Path(__file__).resolve().parent


def create_app() -> dash.Dash:
    """A new app. The catalog is validated first, so a wrong YAML stops start-up with its reason."""
    from data.cache import freeze_startup_heap
    from data.catalog import get_catalog

    get_catalog()
    drop_babel_polyfill()
    app = dash.Dash(
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
    app.server.register_blueprint(vendor_blueprint())
    enable_compression(app.server)
    from callbacks.wall import wall_blueprint  # the wall screen's JSON data

    app.server.register_blueprint(wall_blueprint())
    app.index_string = app.index_string.replace("{%css%}", "{%css%}" + index_head())
    app.layout = create_shell()
    freeze_startup_heap()
    return app


def __getattr__(name: str):
    """`app:server` for a WSGI server (gunicorn app:server), created on first use."""
    if name == "server":
        return create_app().server
    raise AttributeError(name)


if __name__ == "__main__":
    from settings import get_settings

    settings = get_settings()
    create_app().run(host=settings.host, port=settings.port)
