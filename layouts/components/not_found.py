"""A clear "not found" panel (no traceback): a title, what was wrong, and a link home; the one
panel of every page that can be asked for what does not exist (province, district, cluster,
KPI, any path)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.text.format import href
from layouts.text.i18n import t


def not_found_panel(
    title: str,
    text: str,
    link_label: str,
    state: dict,
    *,
    icon: str = "bi-geo-alt",
    link_id: str | None = "not-found-home",
    link_class: str = "btn btn-primary btn-sm",
    other_links: tuple = (),
) -> html.Div:
    """The panel: `title` as the heading, `text` below it, then `other_links` and a button to the
    overview keeping `state` (with the id `link_id`, none where None)."""
    home = dcc.Link(
        [html.I(className="bi bi-arrow-left me-1"), link_label],
        href=href("/", state),
        className=link_class,
        **({} if link_id is None else {"id": link_id}),
    )
    return html.Div(
        dbc.Alert(
            [html.H1([html.I(className=f"bi {icon} me-2"), title], className="h4"), html.P(text), *other_links, home],
            color="warning",
            className="mt-3",
        ),
        id="not-found",
    )


def code_not_found(word: str, code: str, language: str, state: dict, **panel) -> html.Div:
    """The panel for a code in the URL that names nothing: the title `word`, its text
    (`word`_text) naming the code, and the way back to the overview; `panel` as `not_found_panel`'s."""
    title, text = t(word, language), t(f"{word}_text", language).format(code=code)
    return not_found_panel(title, text, t("back_to_overview", language), state, **panel)
