"""Static assets: compressed once per file and kept in a bounded cache; a query string (Dash's
?m=, or a client's random one) never makes a new entry, so no GET can grow the server's memory
(issue 16, point 2)."""

from __future__ import annotations

import os
import secrets

import psutil

from helpers import dash_app
from web.assets import _StaticOnlyCache

BUNDLE = "/vendor/js/plotly-poc.min.js"


def compressed_cache():
    return dash_app().server.extensions["poc_compress"].cache


def test_sta001_random_query_strings_make_no_new_cache_entries_and_memory_stays_flat(demo_store):
    client = dash_app().server.test_client()
    urls = [BUNDLE, "/assets/poc.css", "/assets/wall.js"]
    first = {url: client.get(url, headers={"Accept-Encoding": "gzip"}) for url in urls}
    assert all(r.status_code == 200 and r.headers.get("Content-Encoding") == "gzip" for r in first.values())
    cache = compressed_cache()
    entries, size = len(cache), cache.size_bytes
    process = psutil.Process(os.getpid())
    rss_before = process.memory_info().rss
    for number in range(1000):
        url = urls[number % len(urls)]
        response = client.get(f"{url}?v={secrets.token_hex(8)}&m={number}", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.data == first[url].data  # the same bytes, from the cache
    assert (len(cache), cache.size_bytes) == (entries, size)
    growth_mb = (process.memory_info().rss - rss_before) / 2**20
    assert growth_mb < 25, f"RSS grew {growth_mb:.1f} MB over 1,000 requests"  # ~500 MB before the fix


def test_sta002_the_cache_is_bounded_least_recently_used_first():
    cache = _StaticOnlyCache()
    cache.MAX_BYTES = 100
    for name in "abcde":
        cache.set(f"gzip;/assets/{name}.js", b"x" * 30)
        cache.get("gzip;/assets/a.js")  # a is used all along
    assert cache.size_bytes <= 100 and cache.get("gzip;/assets/a.js") is not None
    assert cache.get("gzip;/assets/b.js") is None and cache.get("gzip;/assets/e.js") is not None
    cache.set("POST /_dash-update-component;dynamic", b"answer")
    assert cache.get("POST /_dash-update-component;dynamic") is None  # answers are never kept
