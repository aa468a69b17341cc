"""Each page's browser-tab title, in the view's language: "<area> · <page> · <app>". Dash calls a
page's `title` with the path's variables, both for the first HTML of a URL (the request's
`?lang=`) and after every move inside the app (the router's callback, whose input is the URL's
query). An area or KPI the viewer may not see is never named: the title is then the page's kind."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

import dash

from data.query import (
    clusters,
    get_engine,
    viewable_area,
    viewer_scope,
)
from data.rules.areas import area_name
from data.rules.catalog import get_catalog
from layouts.text.format import area_title
from layouts.text.i18n import normalise_language, t, t_at

ROUTER_SEARCH = "_pages_location.search"  # the input of Dash's page router that holds "?lang=…"


def request_language() -> str:
    """The language of the view being drawn: the URL's `?lang=` (Thai unless "en")."""
    from flask import has_request_context, request

    if not has_request_context():
        return "th"
    if request.path.endswith("_dash-update-component"):
        try:
            search = dash.callback_context.inputs.get(ROUTER_SEARCH) or ""
        except Exception:  # not the router's callback: no view to follow
            return "th"
        return normalise_language(parse_qs(str(search).lstrip("?")).get("lang", [None])[0])
    return normalise_language(request.args.get("lang"))


def page_title(kind: str, naming: Callable[[str, str], str | None] | None = None) -> Callable[..., str]:
    """The `title` of a page of `kind` (a word of layouts.text.words); `naming(value, language)`
    names what the path's one variable stands for, or None where it is unknown or not the viewer's."""

    def title(**variables) -> str:
        language = request_language()
        first = str(next(iter(variables.values()), ""))
        parts = [t_at(kind, language, first) if first.isdigit() else t(kind, language), t("app_title", language)]
        if naming is not None and variables:
            try:
                name = naming(first, language)
            except Exception:  # unknown, not the viewer's, or a store that cannot answer: the page's kind alone
                name = None
            if name:
                parts.insert(0, name)
        return " · ".join(parts)

    return title


def area_named(code: str, language: str) -> str | None:
    """A province's or district's title, where the viewer may open its page."""
    if not code.isdigit() or len(code) > 6:
        return None
    return area_title(viewable_area(get_engine(), code), language)


def cluster_named(number: str, language: str) -> str | None:
    """A cluster's name, where the viewer sees it."""
    if not number.isdigit() or len(number) > 3:
        return None
    table = clusters(get_engine())
    match = table[table["number"].astype(str) == str(int(number))]
    if match.empty:
        return None
    return area_name(match.iloc[0], language)


def kpi_named(kpi_id: str, language: str) -> str | None:
    """A KPI's name, where the viewer may see the KPI."""
    kpi = get_catalog().by_id().get(kpi_id)
    if kpi is None or not viewer_scope().shows_kpi(kpi):
        return None
    return kpi.name.get(language)
