"""The page head chosen per URL: Dash's index page with dcc's chunk preloads for the pages that
surely draw them (a graph, a dropdown), so the browser fetches them with the page itself."""

from __future__ import annotations

from html import escape as html_escape
from pathlib import Path

import dash

from web.assets import PRELOAD_MARK, chunk_preloads


class PocDash(dash.Dash):
    """Dash with the page head chosen per URL: dcc's chunk preloads for the pages that draw them."""

    @classmethod
    def for_pages(cls, name: str, root: Path, **assets) -> PocDash:
        """The dashboard's Dash (`name`: the module that creates it): the pages in `root/pages`,
        the assets in `root/assets`, every script and style served by the app itself (`assets`:
        the external ones it serves)."""
        app = cls(
            name,
            use_pages=True,
            pages_folder=str(root / "pages"),
            assets_folder=str(root / "assets"),
            serve_locally=True,
            title="ศูนย์ปฏิบัติการจังหวัด",
            update_title=None,
            suppress_callback_exceptions=True,
            **assets,
        )
        # Dash's scripts sit in a <footer>: a second "contentinfo" beside a page's own for a screen reader
        app.index_string = app.index_string.replace("<footer>", '<div class="dash-scripts">').replace(
            "</footer>", "</div>"
        )
        return app

    def interpolate_index(self, **kwargs) -> str:
        from flask import has_request_context, request

        if has_request_context():
            kwargs["title"] = html_escape(page_title_of(request.path, kwargs.get("title", "")))
        index = super().interpolate_index(**kwargs)
        chunks = dcc_chunks_drawn(request.path) if has_request_context() else ()
        language = "en" if has_request_context() and request.args.get("lang") == "en" else "th"
        # the page's language for screen readers, hyphenation and line breaking; assets/navigation.js
        # keeps it in step when the view moves inside the app
        index = index.replace("<html>", f'<html lang="{language}">', 1)
        return index.replace(PRELOAD_MARK, chunk_preloads(chunks))


def page_title_of(path: str, default: str) -> str:
    """The tab title of the page at `path` as Dash's router gives it after a move inside the app
    (pages/_titles.py), for the page's first HTML: the same title before any script has run."""
    from dash._pages import PAGE_REGISTRY, _path_to_page

    page, variables = _path_to_page(path.strip("/"))
    if not page:
        page = next((p for module, p in PAGE_REGISTRY.items() if module.split(".")[-1] == "not_found_404"), {})
    title = page.get("title", default)
    return title(**(variables or {})) if callable(title) else str(title)


def dcc_chunks_drawn(path: str) -> tuple[str, ...]:
    """The dcc chunks the page at `path` surely draws: the overview, a province, a cluster and a
    KPI page always have a graph, a district only where it has subdistrict data (the selectors
    are native <select>s, no chunk). Unknown codes, /data and /wall: none."""
    from data.query import page_exists

    parts = [part for part in path.split("/") if part]
    if not parts:
        return ("graph",)
    if len(parts) != 2:
        return ()
    kind, code = parts
    if not page_exists(kind, code):
        return ()
    return () if kind == "district" else ("graph",)
