"""The dashboard's own plotly.js (vendor/js): it must draw every trace type the Python code
builds, be the plotly.js version the plotly package writes figures for, and be what every page,
the wall screen and the ESR load, with nothing left that the trimmed page head relies on."""

from __future__ import annotations

import re
from pathlib import Path

import dash
import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from helpers import dash_app
from web.assets import PLOTLY_BUNDLE, PLOTLY_URL

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "vendor" / "js" / "plotly-entry.js"
CORE_TRACES = {"scatter"}  # plotly.js/lib/core registers scatter itself


def registered_traces() -> set[str]:
    return set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", ENTRY.read_text())) - {"core"} | CORE_TRACES


TRACE_TYPES = {
    cls().type for name in dir(go) if isinstance(cls := getattr(go, name), type) and issubclass(cls, BaseTraceType)
}


def traces_in_code() -> dict[str, list[str]]:
    """Trace type -> files, for every `go.<Trace>(` and every plain `type="<trace>"` dictionary
    (layouts.figures.figure_from) in the app's Python code."""
    found: dict[str, list[str]] = {}
    for folder in ("layouts", "callbacks", "reports", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            code = path.read_text(encoding="utf-8")
            kinds = [
                getattr(go, name)().type
                for name in re.findall(r"\bgo\.([A-Z]\w*)\(", code)
                if issubclass(getattr(go, name), BaseTraceType)
            ]
            kinds += [kind for kind in re.findall(r"\btype=[\"'](\w+)[\"']", code) if kind in TRACE_TYPES]
            for kind in kinds:
                found.setdefault(kind, []).append(str(path.relative_to(ROOT)))
    return found


def test_plb001_every_trace_type_the_code_draws_is_in_the_bundle():
    used = traces_in_code()
    assert {"bar", "choropleth", "heatmap", "scatter", "scatterpolar"} <= set(used)  # the scan sees the figure builder
    missing = {kind: files for kind, files in used.items() if kind not in registered_traces()}
    assert not missing, f"add these trace types to vendor/js/plotly-entry.js and run vendor/js/build.sh: {missing}"


def test_plb002_the_bundle_is_the_plotly_js_the_plotly_package_writes_figures_for():
    header = PLOTLY_BUNDLE.read_text(encoding="utf-8")[:300]
    assert f"plotly.js v{get_plotlyjs_version()} " in header
    for kind in registered_traces() - CORE_TRACES:
        assert kind in header, f"{kind} registered in plotly-entry.js but the bundle was not rebuilt"


def test_plb003_pages_load_the_bundle_async_and_never_the_full_plotly(demo_store):
    client = dash_app().server.test_client()
    page = client.get("/province/50").get_data(as_text=True)
    assert f'<script src="{PLOTLY_URL}" async="async"></script>' in page
    # until the async script has run, window.Plotly is a promise that dcc.Graph waits on...
    stub = page.index("window.Plotly = new Promise")
    assert stub < page.index(PLOTLY_URL) and stub < page.index("dash_renderer")
    assert "pending.__pocResolve(Plotly)" in (ENTRY.parent / "plotly-entry.js").read_text()  # ...resolved by the bundle
    assert "package_data/plotly.min.js" not in page and "polyfill" not in page
    assert 'window.PlotlyGeoAssets = {topojson: {"world_110m": {' in page
    script = client.get(PLOTLY_URL)
    assert script.status_code == 200 and script.data == PLOTLY_BUNDLE.read_bytes()
    assert "max-age=31536000" in script.headers["Cache-Control"]
    script.close()
    assert client.get("/vendor/js/package.json").status_code == 404


def test_plb004_the_polyfill_s_one_global_dash_uses_is_still_given():
    """Dash's components call regeneratorRuntime (once the Babel polyfill's); the page loads it first."""
    client = dash_app().server.test_client()
    page = client.get("/").get_data(as_text=True)
    sources = re.findall(r'<script src="([^"]+)"', page)
    url = next(src for src in sources if "regenerator-runtime" in src)
    first_user = min(
        i
        for i, src in enumerate(sources)
        if "dash_renderer" in src or "dash_core_components" in src or "dash_bootstrap_components" in src
    )
    assert sources.index(url) < first_user
    script = client.get(url)
    assert script.status_code == 200 and b"window.regeneratorRuntime=" in script.data
    script.close()
    renderer = (Path(dash.__file__).parent / "dash-renderer" / "build" / "dash_renderer.min.js").read_text()
    assert "regeneratorRuntime" in renderer  # if Dash stops using it, this build can go too


XML_NAMESPACES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/XML/1998/namespace",
}


def test_plb005_the_served_scripts_hold_no_address_beyond_the_app():
    """The dashboard runs with no internet: no URL in the scripts it serves, but the XML
    namespace names SVG needs (names, never fetched). plotly's topojson default is the app's."""
    for path in (PLOTLY_BUNDLE, ENTRY.parent / "regenerator-runtime.min.js"):
        urls = set(re.findall(r"https?://[^\s'\"`)<>\\]+", path.read_text(encoding="utf-8")))
        assert urls <= XML_NAMESPACES, f"{path.name} points outside the app: {sorted(urls - XML_NAMESPACES)}"
    assert "/assets/topojson/" in PLOTLY_BUNDLE.read_text(encoding="utf-8")


def test_plb006_a_started_app_compresses_its_assets_before_the_first_visit(monkeypatch):
    """`create_app` compresses in the background what a first visit asks for (scripts, styles,
    fonts, dcc's chunks), so the first visitor after a start does not wait on gzip; the visitor
    then gets those bytes from the cache, unchanged."""
    import gzip
    import threading

    from app import create_app
    from settings import get_settings

    monkeypatch.setenv("POC_WARM_ASSETS", "1")
    get_settings.cache_clear()
    try:
        server = create_app().server
    finally:
        get_settings.cache_clear()
    for thread in [t for t in threading.enumerate() if t.name == "warm-assets"]:
        thread.join(timeout=60)
    cached = server.extensions["poc_compress"].cache._items
    for name in ("plotly-poc.min.js", "dash_renderer", "bootstrap.min.css", "Sarabun-Bold.ttf", "dcc/async-graph.js"):
        assert any(name in key for key in cached), f"{name} not compressed at start: {sorted(cached)}"
    response = server.test_client().get(PLOTLY_URL, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == PLOTLY_BUNDLE.read_bytes()
