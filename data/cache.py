"""The query cache (Flask-Caching): in-process by default, Redis when REDIS_URL is set.

Cache keys carry the store's `data_version` (the id of the last successful import, written
in the same transaction as the import), so any import, from any process, makes every
cached answer stale at once. The version is re-read at most once a second.

Reference data (areas and clusters: 8,500 rows every query joins to) changes only with
`poc init`, never with an import, so it is memoised in the process under its own
`reference_version` instead, and an import does not throw it away.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import threading
import time
from typing import Any, Callable

from flask import Flask
from flask_caching import Cache
from sqlalchemy import Engine, select

from data.schema import Meta

VERSION_CHECK_SECONDS = 1.0
_lock = threading.Lock()
_cache: Cache | None = None
_versions: dict[str, tuple[str, float]] = {}
_reference: dict[tuple, Any] = {}
REFERENCE_MEMO_SIZE = 16


def cache_config(redis_url: str | None, timeout: int) -> dict[str, Any]:
    if redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": "poc:",
                "CACHE_DEFAULT_TIMEOUT": timeout}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000, "CACHE_DEFAULT_TIMEOUT": timeout}


def get_cache() -> Cache:
    """The process's cache, configured from the settings on first use."""
    global _cache
    with _lock:
        if _cache is None:
            from settings import get_settings

            settings = get_settings()
            _cache = Cache(Flask("poc-query-cache"), config=cache_config(settings.redis_url, settings.cache_timeout))
        return _cache


def configure(redis_url: str | None, timeout: int = 600) -> Cache:
    """Replace the process's cache (tests and benchmarks)."""
    global _cache
    with _lock:
        _cache = Cache(Flask("poc-query-cache"), config=cache_config(redis_url, timeout))
        _versions.clear()
    return _cache


def _backend():
    """The cache's storage (cachelib), taken from the cache's own Flask app.

    Flask-Caching looks its storage up on `flask.current_app`, which inside a dashboard
    request is the Dash server, not this cache's app; going to the storage directly works in
    and out of requests alike.
    """
    cache = get_cache()
    return cache.app.extensions["cache"][cache]


def data_version(engine: Engine) -> str:
    """The store's data version, re-read from the store at most once a second."""
    return _meta_version(engine, "data_version")


def reference_version(engine: Engine) -> str:
    """The version of the store's areas and clusters, re-read at most once a second."""
    return _meta_version(engine, "reference_version")


def _meta_version(engine: Engine, name: str) -> str:
    key = f"{name}@{engine.url.render_as_string(hide_password=True)}"
    now = time.monotonic()
    known = _versions.get(key)
    if known is not None and now - known[1] < VERSION_CHECK_SECONDS:
        return known[0]
    with engine.connect() as connection:
        version = connection.execute(select(Meta.value).where(Meta.key == name)).scalar() or "0"
    _versions[key] = (version, now)
    return version


def forget_version(engine: Engine) -> None:
    """Re-read `engine`'s versions on the next cached call (after this process wrote)."""
    url = engine.url.render_as_string(hide_password=True)
    for name in ("data_version", "reference_version"):
        _versions.pop(f"{name}@{url}", None)


def invalidate(engine: Engine | None = None, reference: bool = False) -> None:
    """Forget the known versions (this process sees an import at once) and clear the query
    cache, as an import does; with `reference`, the memoised areas and clusters too (as in a
    process that has just started)."""
    _versions.clear()
    _backend().clear()
    if reference:
        _reference.clear()


def reference_cached(function: Callable) -> Callable:
    """Memoise `function(engine)` (areas, clusters) in the process under the reference version.

    Returns a shallow copy: with pandas' copy-on-write a caller's change cannot reach the memo.
    """

    @functools.wraps(function)
    def wrapper(engine: Engine):
        key = (function.__qualname__, engine.url.render_as_string(hide_password=True), reference_version(engine))
        hit = _reference.get(key)
        if hit is None:
            hit = function(engine)
            with _lock:
                if len(_reference) >= REFERENCE_MEMO_SIZE:
                    _reference.clear()
                _reference[key] = hit
        return hit.copy(deep=False)

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper


def cached(function: Callable) -> Callable:
    """Cache `function(engine, *args, **kwargs)` under its name, arguments and the data version."""

    @functools.wraps(function)
    def wrapper(engine: Engine, *args, **kwargs):
        version = data_version(engine)
        raw = repr((function.__module__, function.__qualname__, engine.url.render_as_string(hide_password=True),
                    version, args, sorted(kwargs.items())))
        key = "q:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()
        backend = _backend()
        hit = backend.get(key)
        if hit is not None:  # values are pickled by the cache, so callers cannot alter a cached answer
            return hit
        result = function(engine, *args, **kwargs)
        backend.set(key, result)
        return result

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper


def freeze_startup_heap() -> None:
    """Move every object made so far (modules, Dash and Plotly, the catalog) out of the
    garbage collector's reach, once start-up is over.

    A full collection walks every tracked object; with Dash and Plotly loaded that takes
    about 100 ms on the 2-core machine, and it lands in whichever request happens to trigger
    it. Frozen objects live as long as the process anyway, so collections during requests
    then only walk what requests made. (The `gc.freeze` advice of the Python docs for
    long-running servers.)
    """
    gc.collect()
    gc.freeze()
