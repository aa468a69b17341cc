"""The export buttons of the province, cluster and overview pages: the ESR as PDF, its data as
XLSX, and a PDF snapshot of the page as shown. Pure: what to export in, components out."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.query import can
from layouts.text.i18n import t


def export_bar(kind: str, code: str | None, period: str | None, language: str) -> html.Div:
    """Three buttons, the download they fill, and where a failure is explained. `kind` is
    province, cluster or national; `period` the URL value (None = latest). Disabled for a viewer
    whose role may not make reports (the callback refuses them all the same)."""
    allowed = can("esr")
    buttons = [
        dbc.Button(
            [html.I(className="bi bi-file-earmark-pdf me-1"), t("esr_button", language)],
            id="esr-pdf",
            disabled=not allowed,
            color="primary",
            size="sm",
            className="me-1",
        ),
        dbc.Button(
            [html.I(className="bi bi-camera me-1"), t("esr_snapshot_button", language)],
            id="esr-snapshot",
            disabled=not allowed,
            color="outline-primary",
            size="sm",
            className="me-1",
        ),
        dbc.Button(
            [html.I(className="bi bi-file-earmark-spreadsheet me-1"), t("esr_data_button", language)],
            id="esr-xlsx",
            disabled=not allowed,
            color="outline-secondary",
            size="sm",
        ),
    ]
    return html.Div(
        [
            html.Div(buttons, className="d-flex flex-wrap"),
            dcc.Loading(html.Div(id="esr-message", className="small mt-1"), type="dot"),
            dcc.Store(id="esr-request", data={"kind": kind, "code": code, "period": period, "lang": language}),
            dcc.Download(id="esr-file"),
        ],
        className="esr-export ms-auto mb-2 d-print-none",
        id="esr-export",
    )
