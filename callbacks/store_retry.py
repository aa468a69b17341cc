"""A page shown without its store reloads itself when its retry timer fires (see
layouts.components.unavailable): the browser asks again, and the page is back when the store is."""

from __future__ import annotations

from dash import Input, Output, clientside_callback

clientside_callback(
    """function (n) { if (n) { window.location.reload(); } return window.dash_clientside.no_update; }""",
    Output("store-retry", "disabled"),
    Input("store-retry", "n_intervals"),
    prevent_initial_call=True,
)
