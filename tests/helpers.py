"""Plain helpers the test modules share (fixtures are in conftest.py; stores are built in stores.py).

- the app: `dash_app` (one per process), `reset_caches`, `reading_store` (the app pointed at a
  store), `served_app` (a Flask server on a free port, in a thread), `router` (a page as the
  browser gets it);
- what a user reads in a Dash component tree: `texts`, `find`, `by_id`;
- `until`: wait for a condition, with a deadline, instead of a fixed sleep;
- value files and what an import stored: `write`, `stored`, `value`, `import_log`;
- `square`: a small GeoJSON polygon for a boundary.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import TypeVar

import pytest
from dash.development.base_component import Component
from sqlalchemy import select

from data.query import cache as cache_module
from data.rules.periods import Period
from data.store.engine import get_engine
from data.store.schema import ImportLog, KpiValue
from data.store.values import value_history
from layouts.text import thai_breaks
from settings import get_settings

CHROMIUM = "/usr/bin/chromium"  # Debian's: the browser tests drive it, the reports print with it

T = TypeVar("T")


# =========================================================================== the app


def reset_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    cache_module.invalidate()


@lru_cache(maxsize=1)
def dash_app():
    """One app per process: Dash hands the globally registered callbacks to the first app only.

    Its server is wrapped in `SignedInHarness`: a request that brings no session of its own is
    made as the harness's country-wide admin (`TESTER`), so that tests of pages, callbacks and
    downloads read as before; the tests of sign-in and scope bring their own sessions, or ask
    for none with the header `X-Harness-Anonymous`."""
    from app import create_app

    app = create_app()
    app.server.secret_key = HARNESS_SECRET
    app.server.wsgi_app = SignedInHarness(app.server, app.server.wsgi_app)
    return app


HARNESS_SECRET = "harness-secret-" + "x" * 32
HARNESS_CSRF = "harness-csrf-token"
TESTER = "tester"
ANONYMOUS_HEADER = "HTTP_X_HARNESS_ANONYMOUS"


class SignedInHarness:
    """WSGI middleware of the tests only: a request without a `poc_session` cookie (and without
    the X-Harness-Anonymous header) is given the session of `TESTER`, a poc_admin of the whole
    country made in the store being read, and the CSRF header Dash's renderer would send."""

    def __init__(self, server, app):
        self.server, self.app = server, app
        self.last_epoch: int | None = 1
        self.known: dict[str, int] = {}

    def __call__(self, environ, start_response):
        cookies = environ.get("HTTP_COOKIE", "")
        if ANONYMOUS_HEADER not in environ and "poc_session=" not in cookies:
            epoch = self.tester_epoch()
            if epoch is not None:
                serializer = self.server.session_interface.get_signing_serializer(self.server)
                session = {"u": TESTER, "e": epoch, "r": "poc_admin", "a": ["TH"], "t": time.time(), "c": HARNESS_CSRF}
                value = serializer.dumps(session)
                environ["HTTP_COOKIE"] = f"{cookies}; poc_session={value}" if cookies else f"poc_session={value}"
                environ.setdefault("HTTP_X_CSRFTOKEN", HARNESS_CSRF)
        return self.app(environ, start_response)

    def tester_epoch(self) -> int | None:
        from data.store import accounts

        engine = get_engine()
        url = engine.url.render_as_string(hide_password=False)
        if url in self.known and cache_module.store_down(engine):  # an outage: no wait on the store again
            return self.known[url]
        try:
            account = accounts.get_account(engine, TESTER)
            if account is None:
                ensure_account(engine, TESTER, "poc_admin", ["TH"])
                account = accounts.get_account(engine, TESTER)
        except Exception:  # a store down or broken: the session it last knew (the app remembers the account)
            return self.last_epoch
        self.last_epoch = account["epoch"] if account else None
        if self.last_epoch is not None:
            self.known[url] = self.last_epoch
        return self.last_epoch


def session_cookie(database_url: str, name: str = TESTER, role: str = "poc_admin", areas=("TH",)) -> str:
    """A signed session of an account of the store at `database_url` (made if absent), as every app
    server of that store signs it (with the store's shared key): for servers run as subprocesses."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    from data.store import accounts
    from data.store.engine import make_engine

    engine = make_engine(database_url)
    try:
        ensure_account(engine, name, role, areas)
        epoch = accounts.get_account(engine, name)["epoch"]
        signer = Flask("harness")
        signer.secret_key = accounts.shared_secret(engine)
    finally:
        engine.dispose()
    session = {"u": name, "e": epoch, "r": role, "a": list(areas), "t": time.time(), "c": HARNESS_CSRF}
    return SecureCookieSessionInterface().get_signing_serializer(signer).dumps(session)


def session_headers(database_url: str, **account) -> dict[str, str]:
    """The headers a signed-in browser sends to a server of that store: its cookies and Dash's CSRF header."""
    cookie = session_cookie(database_url, **account)
    return {"Cookie": f"poc_session={cookie}; _csrf_token={HARNESS_CSRF}", "X-CSRFToken": HARNESS_CSRF}


_ONE_HASH: dict[str, str] = {}


def ensure_account(engine, name: str, role: str, areas, password: str = "harness-password-1") -> None:
    """An enabled account `name` in the store of `engine` (made without the CLI's checks, with one
    argon2 hash for every account of the run: hashing is slow by design)."""
    from sqlalchemy import insert

    from data.store import accounts
    from data.store.schema import Account

    if password not in _ONE_HASH:
        _ONE_HASH[password] = accounts.hash_password(password)
    if accounts.get_account(engine, name) is not None:
        return
    with engine.begin() as connection:
        connection.execute(
            insert(Account).values(
                name=name,
                role=role,
                areas=" ".join(areas),
                password_hash=_ONE_HASH[password],
                source="local",
                disabled=False,
                epoch=1,
                created_by="harness",
            )
        )


@contextmanager
def reading_store(url: str, **env: str):
    """The app's settings pointed at the store `url` (DATABASE_URL, POC_LANGUAGE=th, and `env`),
    caches reset on the way in and out: yields the MonkeyPatch, for more."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("POC_LANGUAGE", "th")
        for name, value in env.items():
            patch.setenv(name, value)
        reset_caches()
        yield patch
    reset_caches()


@contextmanager
def served_app(app_server, host: str = "127.0.0.1"):
    """`app_server` (the app's Flask server) on `host` at a free port, in a thread: yields its URL."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server(host, 0, app_server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def router_payload(path: str, search: str = "") -> dict:
    """The body of Dash's routing callback for `path` and `search`, as the browser posts it."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
    }


def router(client, path: str, search: str = "") -> str:
    """What the browser gets when it opens `path`: the page layout from Dash's routing callback."""
    response = client.post("/_dash-update-component", json=router_payload(path, search))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return json.dumps(words_joined(response.get_json()), ensure_ascii=False)


# =========================================================================== what a user reads


def unbroken(markup: str) -> str:
    """Markup without the word spans and <wbr> of layouts.text.thai_breaks: its texts read whole."""
    return re.sub(r'<span class="%s">([^<]*)</span>|<wbr/?>' % thai_breaks.WORD_CLASS, r"\1", markup)


def words_joined(node):
    """A Dash document (JSON) with each text the app cut into words (layouts.text.thai_breaks) read
    whole, as a user reads it, in components and in markup: a name split over word spans is found."""
    if isinstance(node, str):
        return unbroken(node) if "<" in node else node
    if isinstance(node, list):
        return [words_joined(item) for item in node]
    if not isinstance(node, dict):
        return node
    props = node.get("props") if isinstance(node.get("props"), dict) else {}
    if props.get("className") == thai_breaks.WRAPPER_CLASS:
        return "".join(_words_of(props.get("children")))
    return {key: words_joined(value) for key, value in node.items()}


def _words_of(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for item in node for text in _words_of(item)]
    return _words_of(node.get("props", {}).get("children")) if isinstance(node, dict) else []


def texts(node) -> str:
    """Every text a user would read in a component tree, one string per line."""
    found: list[str] = []

    def walk(item):
        if item is None:
            return
        if isinstance(item, str) and item.startswith("<"):  # a block of markup (the KPI table)
            found.extend(unescape(part) for part in re.split(r"<[^>]+>", unbroken(item)) if part.strip())
        elif isinstance(item, (str, int, float)):
            found.append(str(item))
        elif isinstance(item, Component) and thai_breaks.WRAPPER_CLASS in (getattr(item, "className", None) or ""):
            found.append(texts(item.children).replace("\n", ""))  # a text cut into words, read as one
        elif isinstance(item, (list, tuple)):
            for child in item:
                walk(child)
        elif isinstance(item, Component):
            walk(getattr(item, "children", None))
            for name in ("label", "items"):  # dropdown labels are not children; breadcrumb items neither
                value = getattr(item, name, None)
                if isinstance(value, list):
                    found.extend(str(v.get("label", "")) for v in value if isinstance(v, dict))
            options = getattr(item, "options", None)
            value = getattr(item, "value", None)
            if isinstance(options, list):
                found.extend(str(o["label"]) for o in options if isinstance(o, dict) and o.get("value") == value)

    walk(node)
    return "\n".join(found)


def find(node, predicate) -> list[Component]:
    """Components of the tree for which `predicate(component)` holds, in document order."""
    out: list[Component] = []

    def walk(item):
        if isinstance(item, (list, tuple)):
            for child in item:
                walk(child)
        elif isinstance(item, Component):
            if predicate(item):
                out.append(item)
            walk(getattr(item, "children", None))

    walk(node)
    return out


def by_id(node, component_id) -> Component:
    matches = find(node, lambda c: getattr(c, "id", None) == component_id)
    assert matches, f"no component with id {component_id!r}"
    return matches[0]


# =========================================================================== waiting


def until(condition: Callable[[], T], timeout: float, what: str, every: float = 0.05) -> T:
    """Poll `condition` until it returns something true, and return that; fail naming `what`
    when `timeout` seconds pass first. A wait for a condition, never a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(every)


# =========================================================================== value files and the store


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def stored(store) -> list[tuple]:
    """Every current value as (kpi, area, type, year, no, value, target, source, prelim, revised, revision)."""
    columns = [
        KpiValue.kpi_id,
        KpiValue.area_code,
        KpiValue.period_type,
        KpiValue.fiscal_year,
        KpiValue.period_no,
        KpiValue.value,
        KpiValue.target,
        KpiValue.source,
        KpiValue.is_preliminary,
        KpiValue.is_revised,
        KpiValue.revision,
    ]
    with store.connect() as connection:
        rows = connection.execute(select(*columns).order_by(*columns[:5])).all()
    return [(*row[:8], bool(row[8]), bool(row[9]), row[10]) for row in rows]


def value(store, kpi_id: str, area_code: str, period: Period) -> float | None:
    with store.connect() as connection:
        history = value_history(connection, kpi_id, area_code, period)
    return history[0]["value"] if history and history[0]["current"] else None


def import_log(store) -> list[tuple[str, str, int]]:
    with store.connect() as connection:
        rows = connection.execute(
            select(ImportLog.status, ImportLog.source_name, ImportLog.rows_read)
            .where(ImportLog.kind == "values")
            .order_by(ImportLog.id)
        ).all()
    return [tuple(row) for row in rows]


# =========================================================================== boundaries


def square(west: float, south: float) -> str:
    ring = [[west, south], [west, south + 0.1], [west + 0.1, south + 0.1], [west + 0.1, south], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})
