"""Navigation callbacks: every selector writes its value into the URL, and a click on a map
or bar chart opens the area it carries a link to. The page then re-renders from the URL, so
the URL is the only state (bookmarks and back/forward work)."""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, no_update

from layouts.format import url_with_choice


@callback(
    Output("url", "href", allow_duplicate=True),
    Input({"type": "url-param", "name": ALL, "default": ALL}, "value"),
    State("url", "href"),
    prevent_initial_call=True,
)
def set_query_parameter(_values, current_href):
    """A selector changed: the same page with that query parameter replaced (removed when it is
    the page's default). Selectors also fire when a page renders them: that changes nothing."""
    if not isinstance(ctx.triggered_id, dict) or not ctx.triggered:
        return no_update
    target = url_with_choice(current_href or "/", ctx.triggered_id["name"], ctx.triggered[0]["value"],
                             ctx.triggered_id["default"])
    return no_update if target is None else target


# assets/navigation.js: the clicked point's customdata[0] is the link of its area
clientside_callback(
    ClientsideFunction(namespace="poc", function_name="openClickedArea"),
    Output("url", "href", allow_duplicate=True),
    Input({"type": "area-map", "name": ALL}, "clickData"),
    prevent_initial_call=True,
)
