"""The ESR downloads: one click gives the report of the page's scope and period as PDF, its data
as XLSX, or a PDF snapshot of the page as shown. A browser that is missing or fails gives a
clear message on the page; the dashboard keeps working.

The page writes what to report ("esr-request": kind, code, period, language), but a request can
carry anything: every value is checked against what exists before anything is built or
rendered, and a wrong one gives no file and a short message (see callbacks.navigation)."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl

from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from callbacks.navigation import MAX_HREF, NotPermitted, Refused, language_of, period_of, refused, text_of
from data.query import (
    NotAllowed,
    StoreUnavailable,
    UnknownArea,
    UnknownKpi,
    can,
    cluster_code_of,
    get_engine,
    viewable_area,
)
from layouts.text.i18n import t
from reports.content import KINDS, EsrRequest, NoDataForPeriod
from reports.export import esr_pdf, esr_xlsx
from reports.file_names import esr_file_name, snapshot_file_name
from reports.render import BrowserUnavailable, RenderError
from reports.snapshot import internal_url, snapshot_pdf, snapshot_stem
from settings import get_settings
from web.auth import note, session_cookies

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUTTONS = ("esr-pdf", "esr-xlsx", "esr-snapshot")
CLUSTER_NUMBER = re.compile(r"[0-9]{1,3}")
SCOPE_FIELDS = {"province": "req_province", "cluster": "req_cluster"}


def request_of(stored) -> EsrRequest:
    """The report the page asked for, each value checked: a kind of report, an existing province
    code or cluster number (the query layer's), a well-formed period (or none: the latest),
    th or en (anything else: the default language). Refused otherwise."""
    if not isinstance(stored, dict):
        raise Refused("req_request", stored)
    kind = stored.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise Refused("req_kind", kind)
    if not can("esr"):
        raise NotPermitted("req_kind", kind)
    period = period_of(stored.get("period"))
    code = None
    if kind == "province":
        code = province_code(stored.get("code"))
    elif kind == "cluster":
        code = cluster_number(stored.get("code"))
    return EsrRequest(kind, code, period, language_of(stored.get("lang")))


def province_code(value) -> str:
    code = text_of(value, "req_province")
    try:
        known = viewable_area(get_engine(), code).level == "province"  # NotAllowed outside the viewer's scope
    except UnknownArea:
        known = False
    if not known:
        raise Refused("req_province", code, unknown=True)
    return code


def cluster_number(value) -> str:
    number = text_of(value, "req_cluster")
    if not CLUSTER_NUMBER.fullmatch(number):
        raise Refused("req_cluster", number)
    try:
        viewable_area(get_engine(), cluster_code_of(get_engine(), int(number)))  # NotAllowed outside the scope
    except UnknownArea:
        raise Refused("req_cluster", number, unknown=True) from None
    return str(int(number))


def page_of(pathname, search) -> str:
    """The path and query of the page to print: a path on this app and its query string, whose
    period (it names the file) is well formed."""
    path = "/" if pathname is None else text_of(pathname, "req_page", MAX_HREF)
    query = "" if search is None else text_of(search, "req_page", MAX_HREF)
    if not path.startswith("/") or (query and not query.startswith("?")):
        raise Refused("req_page", path + query)
    period_of(dict(parse_qsl(query[1:])).get("period"))
    return path + query


def _button() -> str | None:
    """The button clicked, or None when the request names none of them."""
    prop_id = ctx.triggered[0].get("prop_id") if ctx.triggered else None
    button, _, prop = prop_id.rpartition(".") if isinstance(prop_id, str) else ("", "", "")
    return button if button in BUTTONS and prop == "n_clicks" else None


def _alert(text: str) -> html.Div:
    return html.Div(
        [html.I(className="bi bi-exclamation-triangle-fill me-1"), text],
        className="alert alert-warning py-1 px-2 mb-0",
        id="esr-error",
        role="alert",
    )


def _failure(error: RenderError, language: str) -> html.Div:
    if isinstance(error, BrowserUnavailable):
        text = t("esr_browser_missing", language).format(path=get_settings().chromium_path)
    else:
        text = t("esr_failed", language).format(reason=str(error))
    return _alert(text)


@callback(
    Output("esr-file", "data"),
    Output("esr-message", "children"),
    Input("esr-pdf", "n_clicks"),
    Input("esr-xlsx", "n_clicks"),
    Input("esr-snapshot", "n_clicks"),
    State("esr-request", "data"),
    State("url", "pathname"),
    State("url", "search"),
    prevent_initial_call=True,
)
def download(_pdf, _xlsx, _snapshot, stored, pathname, search):
    button = _button()
    if not stored or button is None:
        return no_update, no_update
    language = language_of(stored.get("lang") if isinstance(stored, dict) else None)
    try:
        request = request_of(stored)  # every check before anything is built or rendered
        if button == "esr-xlsx":
            data = esr_xlsx(get_engine(), request)
            name = esr_file_name(get_engine(), request)
            note("esr", f"{request.file_stem()}.xlsx")
            return dcc.send_bytes(data, f"{name}.xlsx", type=XLSX), None
        if button == "esr-snapshot":
            page = page_of(pathname, search)
            # the app's own address (never the Host header), opened as this viewer (their session cookie)
            data = snapshot_pdf(internal_url(), page, language, cookies=session_cookies())
            note("esr", f"{snapshot_stem(page)}.pdf (snapshot)")
            name = snapshot_file_name(get_engine(), page, language)
            return dcc.send_bytes(data, f"{name}.pdf", type="application/pdf"), None
        data = esr_pdf(get_engine(), request)
        note("esr", f"{request.file_stem()}.pdf")
        return dcc.send_bytes(data, f"{esr_file_name(get_engine(), request)}.pdf", type="application/pdf"), None
    except RenderError as error:
        return no_update, _failure(error, language)
    except StoreUnavailable:  # an outage, logged once by the query layer: say so, no file
        return no_update, _alert(t("store_unavailable_title", language))
    except NoDataForPeriod as error:  # a page state older than the store's data
        return no_update, _alert(
            t("period_without_data", language).format(
                period=error.requested.label(language),
                latest=error.latest.label(language) if error.latest else t("no_data", language),
            )
        )
    except NotAllowed as error:  # outside the viewer's scope: the read border refused it
        refusal = NotPermitted(SCOPE_FIELDS.get(stored.get("kind"), "req_area"), error.args[0] if error.args else None)
    except (UnknownArea, UnknownKpi) as error:  # the store changed under the page
        field = "req_kpi" if isinstance(error, UnknownKpi) else SCOPE_FIELDS.get(stored.get("kind"), "req_area")
        refusal = Refused(field, error.args[0] if error.args else None, unknown=True)
    except Refused as error:
        refusal = error
    refused(log, "ESR download", refusal)
    return no_update, _alert(refusal.message(language))
