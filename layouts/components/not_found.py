"""A clear "not found" panel (no traceback): a title, what was wrong, and a link home. The same
pattern as the province page's (`layouts.views.scorecard.not_found`), for any page."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.text.format import href


def not_found_panel(title: str, text: str, link_label: str, state: dict, *, icon: str = "bi-geo-alt") -> html.Div:
    """The panel: `title` as the heading, `text` below it, and a button to the overview keeping `state`."""
    return html.Div(
        dbc.Alert(
            [
                html.H1([html.I(className=f"bi {icon} me-2"), title], className="h4"),
                html.P(text),
                dcc.Link(
                    [html.I(className="bi bi-arrow-left me-1"), link_label],
                    href=href("/", state),
                    className="btn btn-primary btn-sm",
                    id="not-found-home",
                ),
            ],
            color="warning",
            className="mt-3",
        ),
        id="not-found",
    )
