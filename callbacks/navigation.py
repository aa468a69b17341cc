"""Navigation callbacks: every selector writes its value into the URL, and a click on a map
or bar chart opens the area it carries a link to. The page then re-renders from the URL, so
the URL is the only state (bookmarks and back/forward work).

A callback request is only what a client sends: a stale page or a crafted POST can carry any
value. The readers below check each value against what a page can have written; a value that
fails is `Refused`, and the callback answers with no change (or a short message where the page
has a place for one) and one WARNING line in the log, never a traceback."""

from __future__ import annotations

import json
import logging
import reprlib

from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, no_update

from data.rules.periods import LATEST, Period, parse_period_param
from layouts.text.format import url_with_choice
from layouts.text.i18n import normalise_language, t
from settings import get_settings

log = logging.getLogger(__name__)

# the query parameters the app reads: the dashboard pages (pages/*.py) and the wall screen (layouts/wall.py)
PAGE_PARAMETERS = frozenset(
    {
        "lang",
        "period",
        "show",
        "level",
        "sort",
        "kpi",
        "area",
        "province",
        "cluster",
        "theme",
        "slides",
        "interval",
        "refresh",
        "trends",
        "interval_ms",
        "refresh_ms",
    }
)
MAX_VALUE = 256  # a query value: KPI ids, area codes, periods, a wall's list of slides or KPIs
MAX_CODE = 64  # a KPI id, an area code, a period
MAX_HREF = 4096
SHOWN = 40  # characters of a refused value quoted in a message or the log


class Refused(Exception):
    """A request value the page could not have written: which one (`field`, an i18n key) and
    what came; `unknown` when it is well formed but names nothing that exists."""

    def __init__(self, field: str, value, unknown: bool = False):
        super().__init__(f"{field.removeprefix('req_')} {shown(value)!r}" + (" (unknown)" if unknown else ""))
        self.field, self.value, self.unknown = field, value, unknown

    def message(self, language: str) -> str:
        key = "request_unknown" if self.unknown else "request_refused"
        return t(key, language).format(name=t(self.field, language), value=shown(self.value))


class NotPermitted(Refused):
    """A request the viewer's role may not make (`permission`), or of an area outside their scope."""

    def __init__(self, field: str, value):
        super().__init__(field, value)
        self.unknown = False

    def message(self, language: str) -> str:
        return t("not_allowed_text", language)


def shown(value) -> str:
    """A request value as it may be quoted: one short line, whatever its type or size."""
    if value is None:
        return ""
    text = value[: SHOWN * 4] if isinstance(value, str) else reprlib.repr(value)
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def refused(logger: logging.Logger, what: str, refusal: Refused) -> None:
    """The one log line of a refused request: a WARNING, no traceback."""
    logger.warning("%s refused: %s", what, refusal)


def text_of(value, field: str, limit: int = MAX_CODE) -> str:
    """`value` when it is a string of at most `limit` characters, else Refused."""
    if not isinstance(value, str) or len(value) > limit:
        raise Refused(field, value)
    return value


def period_of(value) -> Period | None:
    """The period of a page's URL value: None for "latest" or none, else what parse_period_param
    reads (a fiscal year, quarter or month); Refused otherwise."""
    if value is None or value in ("", LATEST):
        return None
    try:
        return parse_period_param(text_of(value, "req_period", 16))
    except ValueError:
        raise Refused("req_period", value) from None


def language_of(value) -> str:
    """th or en; anything else is the default language."""
    return normalise_language(value if isinstance(value, str) else None, get_settings().language)


@callback(
    Output("url", "href", allow_duplicate=True),
    Input({"type": "url-param", "name": ALL, "default": ALL}, "value"),
    State("url", "href"),
    prevent_initial_call=True,
)
def set_query_parameter(_values, current_href):
    """A selector changed: the same page with that query parameter replaced (removed when it is
    the page's default). Selectors also fire when a page renders them: that changes nothing."""
    try:
        choice = selector_choice()
        if choice is None:
            return no_update
        name, value, default = choice
        current = "/" if current_href is None else text_of(current_href, "req_page", MAX_HREF)
        try:
            target = url_with_choice(current, name, value, default)
        except ValueError:  # not a URL (urlsplit: "http://[")
            raise Refused("req_page", current_href) from None
    except Refused as refusal:
        refused(log, "URL parameter", refusal)
        return no_update
    return no_update if target is None else target


def selector_choice() -> tuple[str, str | int | float | None, str] | None:
    """(name, value, default) of the selector that triggered the callback; None when nothing
    did. Refused when the trigger is not one of the request's selectors, or names a parameter
    the pages do not read, or its value is not a short string or a number (None: the default)."""
    if not ctx.triggered:
        return None
    triggered = ctx.triggered[0]
    prop_id = triggered.get("prop_id")
    component = prop_id.rpartition(".")[0] if isinstance(prop_id, str) else None
    try:
        selector = json.loads(component) if component and component.startswith("{") else None
    except ValueError:
        selector = None
    selectors = ctx.inputs_list[0] if ctx.inputs_list and isinstance(ctx.inputs_list[0], list) else []
    if not isinstance(selector, dict) or not any(isinstance(s, dict) and s.get("id") == selector for s in selectors):
        raise Refused("req_trigger", component)
    name, default, value = selector.get("name"), selector.get("default"), triggered.get("value")
    if selector.get("type") != "url-param" or not isinstance(name, str) or name not in PAGE_PARAMETERS:
        raise Refused("req_trigger", name)
    if not isinstance(default, str) or len(default) > MAX_VALUE:
        raise Refused("req_trigger", default)
    if not (
        value is None
        or (isinstance(value, str) and len(value) <= MAX_VALUE)
        or isinstance(value, float)
        or (isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**MAX_VALUE)
    ):
        raise Refused("req_value", value)
    return name, value, default


# assets/navigation.js: the clicked point's customdata[0] is the link of its area
clientside_callback(
    ClientsideFunction(namespace="poc", function_name="openClickedArea"),
    Output("url", "href", allow_duplicate=True),
    Input({"type": "area-map", "name": ALL}, "clickData"),
    prevent_initial_call=True,
)
