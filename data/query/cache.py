"""The query cache (Flask-Caching): in-process by default, Redis when REDIS_URL is set.

Cache keys carry the store's `data_version` (the id of the last successful import, written
in the same transaction as the import), so any import, from any process, makes every
cached answer stale at once. The version is re-read at most once a second.

Reference data (areas and clusters: 8,500 rows every query joins to) changes only with
`poc init`, never with an import, so it is memoised in the process under its own
`reference_version` instead, and an import does not throw it away.
"""

from __future__ import annotations

import contextvars
import functools
import gc
import hashlib
import inspect
import logging
import threading
import time
from typing import Any, Callable

from flask import Flask
from flask_caching import Cache
from sqlalchemy import Engine, select

from data.store.engine import UNAVAILABLE_ERRORS, StoreUnavailable
from data.store.schema import Meta

log = logging.getLogger(__name__)

VERSION_CHECK_SECONDS = 1.0
_lock = threading.Lock()
_cache: Cache | None = None
_versions: dict[str, tuple[str, float]] = {}
_reference: dict[tuple, Any] = {}
REFERENCE_MEMO_SIZE = 16


def cache_config(redis_url: str | None, timeout: int) -> dict[str, Any]:
    if redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": "poc:",
            "CACHE_DEFAULT_TIMEOUT": timeout,
        }
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
    _confirmed[key] = (version, time.time())
    return version


# --------------------------------------------------------------------------- a store that cannot answer

# the last version each store confirmed, and when (wall-clock), kept while the store is down
_confirmed: dict[str, tuple[str, float]] = {}
_down_until: dict[str, float] = {}
# when the answers of this request came from the cache of a store that could not be reached:
# the time that store last answered (set by the cached functions, read by the page frame)
served_stale_since: contextvars.ContextVar[float | None] = contextvars.ContextVar("served_stale_since", default=None)
# the store failed during this request: its other reads do not wait on it again
_failed_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("store_failed_in_request", default=False)


def new_request() -> None:
    """Forget what the previous request on this thread met (the app calls this before each)."""
    served_stale_since.set(None)
    _failed_in_request.set(False)


def _retry_seconds() -> float:
    from settings import get_settings

    return get_settings().store_retry


def note_unavailable(engine: Engine, error: BaseException | None) -> StoreUnavailable:
    """Note the failure (requests in the next `store_retry` seconds do not try the store) and
    log one line, no traceback: an outage is an expected state, not a bug."""
    url = engine.url.render_as_string(hide_password=True)
    _failed_in_request.set(True)
    first = _down_until.get(url, 0.0) < time.monotonic()
    _down_until[url] = time.monotonic() + _retry_seconds()
    reason = str(getattr(error, "orig", None) or error or "recently failed").strip().splitlines()[0][:300]
    if first:
        log.warning("store %s unavailable: %s", engine.url.render_as_string(hide_password=True), reason)
    return StoreUnavailable(reason)


def _store_down(engine: Engine) -> bool:
    """The store failed in this request, or within the last `store_retry` seconds."""
    return (
        _failed_in_request.get()
        or _down_until.get(engine.url.render_as_string(hide_password=True), 0.0) > time.monotonic()
    )


def store_errors(function: Callable) -> Callable:
    """`function(engine, ...)` raising StoreUnavailable (and not trying the store while it is
    known to be down) instead of the driver's error when the store cannot answer."""

    @functools.wraps(function)
    def wrapper(engine: Engine, *args, **kwargs):
        if _store_down(engine):
            raise StoreUnavailable("the store failed a moment ago")
        try:
            return function(engine, *args, **kwargs)
        except UNAVAILABLE_ERRORS as error:
            raise note_unavailable(engine, error) from None

    return wrapper


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
    _confirmed.clear()
    _down_until.clear()
    _backend().clear()
    if reference:
        _reference.clear()


def reference_cached(function: Callable) -> Callable:
    """Memoise `function(engine)` (areas, clusters) in the process under the reference version.

    Returns a shallow copy: with pandas' copy-on-write a caller's change cannot reach the memo.
    """

    @functools.wraps(function)
    def wrapper(engine: Engine):
        url = engine.url.render_as_string(hide_password=True)
        try:
            version = reference_version(engine) if not _store_down(engine) else None
        except UNAVAILABLE_ERRORS as error:
            note_unavailable(engine, error)
            version = None
        if version is None:  # the store is down: the areas and clusters it last gave still hold
            known = [
                value
                for (name, memo_url, _v), value in list(_reference.items())
                if name == function.__qualname__ and memo_url == url
            ]
            if not known:
                raise StoreUnavailable("the store cannot be reached")
            return known[-1].copy(deep=False)
        key = (function.__qualname__, url, version)
        hit = _reference.get(key)
        if hit is None:
            hit = store_errors(function)(engine)
            with _lock:
                if len(_reference) >= REFERENCE_MEMO_SIZE:
                    _reference.clear()
                _reference[key] = hit
        return hit.copy(deep=False)

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper


def cached(function: Callable) -> Callable:
    """Cache `function(engine, *args, **kwargs)` under its name, arguments and the data version.

    When the store cannot answer, the answer cached under the last version the store confirmed
    is returned (and `served_stale_since` says since when); with none, StoreUnavailable."""

    def key_of(engine: Engine, version: str, args, kwargs) -> str:
        raw = repr(
            (
                function.__module__,
                function.__qualname__,
                engine.url.render_as_string(hide_password=True),
                version,
                args,
                sorted(kwargs.items()),
            )
        )
        return "q:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()

    signature = inspect.signature(function)
    scoped = "scope" in signature.parameters

    @functools.wraps(function)
    def wrapper(engine: Engine, *args, **kwargs):
        if scoped:  # the viewer's scope, when not given, is part of the key: never one viewer's answer for another
            from data.query.scope import viewer_scope

            bound = signature.bind(engine, *args, **kwargs)
            bound.arguments["scope"] = viewer_scope(bound.arguments.get("scope"))
            args, kwargs = bound.args[1:], bound.kwargs
        backend = _backend()
        try:
            if _store_down(engine):
                raise StoreUnavailable("the store failed a moment ago")
            version = data_version(engine)
            key = key_of(engine, version, args, kwargs)
            hit = backend.get(key)
            if hit is not None:  # values are pickled by the cache, so callers cannot alter a cached answer
                return hit
            result = function(engine, *args, **kwargs)
        except (StoreUnavailable, *UNAVAILABLE_ERRORS) as error:
            failure = error if isinstance(error, StoreUnavailable) else note_unavailable(engine, error)
            confirmed = _confirmed.get(f"data_version@{engine.url.render_as_string(hide_password=True)}")
            hit = backend.get(key_of(engine, confirmed[0], args, kwargs)) if confirmed else None
            if hit is None:
                raise failure from None
            served_stale_since.set(confirmed[1])
            return hit
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


# --------------------------------------------------------------------------- answers built from the data


def store_down(engine: Engine) -> bool:
    """The store failed in this request, or within the last `store_retry` seconds."""
    return _store_down(engine)


def versioned_key(kind: str, engine: Engine, version: str, *parts: Any) -> str:
    """A cache key for an answer built from `engine`'s data at `version` (a page, the wall's
    JSON) and `parts` (its parameters, the day, the code that draws it). The key moves with
    the data version, so an import from any process makes the answer stale."""
    raw = repr((kind, engine.url.render_as_string(hide_password=True), version, parts))
    return f"{kind}:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()


def shared_get(key: str) -> Any | None:
    """The cached value under `key` (None when absent): in this process, or in Redis for
    every worker and every app server when REDIS_URL is set. A cache that cannot answer is a
    miss (logged once a minute), never a failed request."""
    try:
        return _backend().get(key)
    except Exception as error:  # Redis down: build the answer instead
        _cache_trouble(error)
        return None


def shared_set(key: str, value: Any, timeout: int | None = None) -> None:
    """Keep `value` under `key` (see shared_get); a cache that cannot take it is ignored."""
    try:
        _backend().set(key, value, timeout=timeout)
    except Exception as error:
        _cache_trouble(error)


_trouble_logged = [0.0]


def _cache_trouble(error: BaseException) -> None:
    if time.monotonic() - _trouble_logged[0] > 60:
        _trouble_logged[0] = time.monotonic()
        log.warning("the shared cache cannot answer: %s", str(error).splitlines()[0][:200] if str(error) else error)
