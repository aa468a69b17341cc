"""/data — what the store holds: every KPI, its owner and latest period, and the import history."""

from __future__ import annotations

import dash
from dash import html

from data.query import boundary_levels, data_status, get_engine, import_log, store_meta
from data.rules.catalog import get_catalog
from layouts.views.data_status import create_data_status
from pages._frame import PageState, page, page_frame
from pages._titles import page_title

dash.register_page(__name__, path="/data", title=page_title("data_status"))


@page("/data", permission="data_status")
def layout(state: PageState) -> html.Div:
    engine = get_engine()
    status = data_status(engine)
    body = create_data_status(
        get_catalog(), status, import_log(engine), store_meta(engine), boundary_levels(engine), state.language
    )
    return page_frame(state, body, demo=bool(int(status["demo_values"].sum())), keyed=False)
