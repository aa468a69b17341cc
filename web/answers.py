"""Answers built once per data version, for many screens: the wall's JSON (`/wall/data`, see
callbacks.wall) and Dash's page callbacks.

A page or a wall payload depends only on the request's parameters, the store's data version,
the day (freshness and "latest" are judged today) and the code that draws it. Built once, it is
kept gzipped in the query cache (data.query.cache: in the process, or in Redis for every worker and
every app server when REDIS_URL is set) under a key of those, and sent as it is to every client
that accepts gzip (browsers do), unpacked for the others. An import moves the data version, and
with it every key.

A page depends on who asks only through the viewer's kind, scope and permissions
(`data.query.viewer_key`), which every key carries: two accounts of the same role and areas share
their pages, and no page drawn for one scope is ever sent to another. Nothing is kept from a
request during which the store failed (its page is the "cannot be reached" message or last
good data with a banner, both with a retry timer), nor any answer but a 200.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, g, request

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CODE_PACKAGES = ("callbacks", "data", "geo", "layouts", "pages", "reports", "web")
CALLBACK_PATH = "/_dash-update-component"
PAGE_OUTPUT = "_pages_content.children"  # Dash's page-routing callback draws the page into this
RETRY_MARK = b'"store-retry"'  # the retry timer of a page drawn without its store (layouts.components.unavailable)
GZIP_LEVEL = 6


@lru_cache(maxsize=1)
def code_token() -> str:
    """A digest of the code and configuration files that draw the answers, so that a cached page
    outlives no deploy: the same on every worker and every machine with the same files."""
    from settings import get_settings

    settings = get_settings()
    digest = hashlib.sha1()
    files = sorted(path for package in CODE_PACKAGES for path in (ROOT / package).rglob("*.py"))
    for path in [*files, Path(settings.catalog_path), Path(settings.clusters_path)]:
        try:
            digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()[:16]


def pack(body: bytes) -> bytes:
    """gzip, with no time stamp (the same bytes from every worker)."""
    return gzip.compress(body, GZIP_LEVEL, mtime=0)


def accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0 if request.accept_encodings else False


def packed_response(
    packed: bytes, status: int = 200, mimetype: str = "application/json", headers: dict | None = None
) -> Response:
    """A response of gzipped `packed`: sent as it is when the client accepts gzip, else unpacked."""
    if accepts_gzip():
        response = Response(packed, status=status, mimetype=mimetype, headers=headers)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(gzip.decompress(packed), status=status, mimetype=mimetype, headers=headers)
    response.headers["Vary"] = "Accept-Encoding"
    return response


def today_key() -> str:
    from data.rules.periods import thai_today

    return thai_today().isoformat()


# =========================================================================== Dash's page callbacks


def install_page_cache(server: Flask) -> None:
    """Answer the page-routing callback from the cache while the data version has not moved.
    Register after the compression (the answer is kept before it is compressed)."""
    server.before_request(_cached_page)
    server.after_request(_keep_page)


def _page_key() -> str | None:
    """The cache key of this request when it is Dash's page callback and the store answers."""
    if request.method != "POST" or request.path != CALLBACK_PATH:
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("output"), str) or PAGE_OUTPUT not in body["output"]:
        return None
    from data.query import viewer_key
    from data.query.cache import data_version, store_down, versioned_key
    from data.store.engine import get_engine
    from settings import get_settings

    engine = get_engine()
    if store_down(engine):
        return None
    try:
        version = data_version(engine)
    except Exception:  # the store cannot answer: the page says so (and is not kept)
        return None
    parts = json.dumps(
        [body.get("output"), body.get("inputs"), body.get("state")], sort_keys=True, ensure_ascii=False, default=str
    )
    return versioned_key(
        "page", engine, version, parts, today_key(), get_settings().language, code_token(), viewer_key()
    )


def _cached_page():
    try:
        key = _page_key()
    except Exception:  # never a failed request for want of a cache
        log.warning("page cache skipped", exc_info=True)
        return None
    if key is None:
        return None
    from data.query.cache import shared_get

    packed = shared_get(key)
    if packed is not None:
        return packed_response(packed)
    g.poc_page_key = key
    return None


def _keep_page(response: Response) -> Response:
    key = g.pop("poc_page_key", None)
    if key is None or response.status_code != 200 or response.is_streamed or "Content-Encoding" in response.headers:
        return response
    body = response.get_data()
    if RETRY_MARK in body:  # drawn without its store: not an answer to keep
        return response
    from data.query.cache import shared_set, store_down
    from data.store.engine import get_engine

    if store_down(get_engine()):
        return response
    packed = pack(body)
    shared_set(key, packed)
    if accepts_gzip():  # compressed once, not again by Flask-Compress
        response.set_data(packed)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
    return response
