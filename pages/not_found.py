"""Any path no page claims: Dash Pages shows the page registered as "not_found_404"."""

from __future__ import annotations

import dash
from dash import html

from layouts.i18n import normalise_language, t
from layouts.not_found import not_found_panel
from layouts.shell import create_header
from settings import get_settings

def layout(lang: str | None = None, **_query) -> html.Div:
    language = normalise_language(lang, get_settings().language)
    body = not_found_panel(t("page_not_found", language), t("page_not_found_text", language), t("go_home", language),
                           {"lang": language}, icon="bi-signpost-split")
    return html.Div([create_header(language, "/404"), html.Div(body, className="container-fluid px-4")],
                    lang=language)


# registered under Dash's reserved name, so Dash shows it for every unknown path; the layout is
# given explicitly because the module name (pages.not_found) is not the registered one
dash.register_page("not_found_404", path="/404", title="ไม่พบหน้านี้ · ศูนย์ปฏิบัติการจังหวัด", layout=layout)
