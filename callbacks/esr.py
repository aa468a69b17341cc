"""The ESR downloads: one click gives the report of the page's scope and period as PDF, its data
as XLSX, or a PDF snapshot of the page as shown. A browser that is missing or fails gives a
clear message on the page; the dashboard keeps working."""

from __future__ import annotations

import flask
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from data.engine import get_engine
from layouts.format import LATEST, parse_period_param
from layouts.i18n import t
from reports.content import EsrRequest
from reports.export import esr_pdf, esr_xlsx
from reports.render import BrowserUnavailable, RenderError
from reports.snapshot import snapshot_pdf, snapshot_stem
from settings import get_settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_of(stored: dict) -> EsrRequest:
    period = stored.get("period")
    selected = None if period in (None, "", LATEST) else parse_period_param(period)
    return EsrRequest(stored["kind"], stored.get("code"), selected, stored.get("lang") or "th")


def _failure(error: RenderError, language: str) -> html.Div:
    if isinstance(error, BrowserUnavailable):
        text = t("esr_browser_missing", language).format(path=get_settings().chromium_path)
    else:
        text = t("esr_failed", language).format(reason=str(error))
    return html.Div([html.I(className="bi bi-exclamation-triangle-fill me-1"), text],
                    className="alert alert-warning py-1 px-2 mb-0", id="esr-error", role="alert")


@callback(Output("esr-file", "data"), Output("esr-message", "children"),
          Input("esr-pdf", "n_clicks"), Input("esr-xlsx", "n_clicks"), Input("esr-snapshot", "n_clicks"),
          State("esr-request", "data"), State("url", "pathname"), State("url", "search"),
          prevent_initial_call=True)
def download(_pdf, _xlsx, _snapshot, stored, pathname, search):
    if not stored or not ctx.triggered_id:
        return no_update, no_update
    request = request_of(stored)
    language = request.language
    try:
        if ctx.triggered_id == "esr-xlsx":
            data = esr_xlsx(get_engine(), request)
            return dcc.send_bytes(data, f"{request.file_stem()}.xlsx", type=XLSX), None
        if ctx.triggered_id == "esr-snapshot":
            page = (pathname or "/") + (search or "")
            data = snapshot_pdf(flask.request.host_url, page, language)
            return dcc.send_bytes(data, f"{snapshot_stem(page)}.pdf", type="application/pdf"), None
        data = esr_pdf(get_engine(), request)
        return dcc.send_bytes(data, f"{request.file_stem()}.pdf", type="application/pdf"), None
    except RenderError as error:
        return no_update, _failure(error, language)
