"""/data — what the store holds: every KPI, its owner and latest period, and the import history."""

from __future__ import annotations

import dash
from dash import html

from data.rules.catalog import get_catalog
from data.store.engine import get_engine
from data.query import boundary_levels, data_status, import_log, store_meta
from layouts.data_status import create_data_status
from layouts.i18n import normalise_language
from pages._common import guarded
from layouts.shell import create_header, demo_banner

dash.register_page(__name__, path="/data", title="สถานะข้อมูล · POC")


@guarded("/data")
def layout(lang: str | None = None, **_query) -> html.Div:
    language = normalise_language(lang)
    engine = get_engine()
    status = data_status(engine)
    boundaries = boundary_levels(engine)
    body = create_data_status(get_catalog(), status, import_log(engine), store_meta(engine), boundaries, language)
    return html.Div([
        create_header(language, "/data"),
        html.Div([demo_banner(language) if int(status["demo_values"].sum()) else None, body],
                 className="container-fluid px-4"),
    ], lang=language)

