"""Any path no page claims: Dash Pages shows the page registered as "not_found_404"."""

from __future__ import annotations

import dash
from dash import html

from layouts.components.not_found import not_found_panel
from layouts.text.i18n import t
from pages._frame import PageState, page_frame
from pages._titles import page_title


def layout(**query) -> html.Div:
    state = PageState.from_url("/404", query)
    language = state.language
    body = not_found_panel(
        t("page_not_found", language),
        t("page_not_found_text", language),
        t("go_home", language),
        {"lang": language},
        icon="bi-signpost-split",
    )
    return page_frame(state, body, keyed=False)


# registered under Dash's reserved name, so Dash shows it for every unknown path; the layout is
# given explicitly because the module name (pages.not_found) is not the registered one
dash.register_page("not_found_404", path="/404", title=page_title("page_not_found"), layout=layout)
