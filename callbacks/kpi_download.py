"""The downloads of /kpi/<id>: the distribution table shown, as CSV (UTF-8 with BOM) or XLSX.
The page stores what it showed (KPI, area, period, language); the callback rebuilds that same
table through the same functions. A stored state the page could not have written (an unknown
KPI or area, a malformed period, wrong types) gives no file and one WARNING line in the log."""

from __future__ import annotations

import logging

import pandas as pd
from dash import Input, Output, State, callback, dcc, no_update

from callbacks.navigation import NotPermitted, Refused, language_of, period_of, refused, text_of
from data.query import (
    NotAllowed,
    StoreUnavailable,
    UnknownArea,
    UnknownKpi,
    areas,
    can,
    distribution,
    get_engine,
    viewer_scope,
)
from data.rules.areas import area_name
from data.rules.catalog import KPI, get_catalog
from data.rules.periods import Period
from layouts.text.format import file_name, newest_period_of
from layouts.text.i18n import t, t_at
from layouts.views.kpi import distribution_frame, table_csv, table_xlsx
from web.auth import note

log = logging.getLogger(__name__)
AREA_LEVELS = ("country", "province", "district", "subdistrict")  # the areas the page offers
COUNTRY = "TH"


def file_stem(kpi: KPI, parent: str | None, period: Period | None, frame: pd.DataFrame, language: str) -> str:
    """The KPI's name, the province whose districts are listed (else the country) and the period
    (the selected one, or the newest shown), in the reader's language and calendar:
    "อัตราการเสียชีวิต…_เชียงใหม่_ปีงบประมาณ-2569", "Road-traffic-deaths…_Chiang-Mai_FY-2026"."""
    shown = newest_period_of(frame) if period is None else period
    table = areas(get_engine())
    where = area_name(table.loc[parent or COUNTRY], language) if (parent or COUNTRY) in table.index else parent
    when = shown.label(language) if shown is not None else t("latest", language)
    return file_name(kpi.name.get(language), where, when)


def table_state(state) -> tuple[KPI, str, Period | None, str]:
    """(KPI, area code, period, language) of the stored state, each checked: a KPI of the
    catalog, an area the page offers (none: the country), a well-formed period (none or
    "latest": the latest), th or en (anything else: the default language). Refused otherwise."""
    if not isinstance(state, dict):
        raise Refused("req_request", state)
    if not can("export"):
        raise NotPermitted("req_request", "export")
    kpi_id = text_of(state.get("kpi"), "req_kpi")
    kpis = get_catalog().by_id()
    if kpi_id not in kpis:
        raise Refused("req_kpi", kpi_id, unknown=True)
    if not viewer_scope().shows_kpi(kpis[kpi_id]):
        raise NotPermitted("req_kpi", kpi_id)
    area_code = state.get("area")
    area_code = COUNTRY if area_code in (None, "") else text_of(area_code, "req_area")
    table = areas(get_engine())
    if area_code not in table.index or table.loc[area_code, "level"] not in AREA_LEVELS:
        raise Refused("req_area", area_code, unknown=True)
    return kpis[kpi_id], area_code, period_of(state.get("period")), language_of(state.get("lang"))


def _table(state, what: str):
    """(KPI, table, language, file stem) of the state; None when it is refused (logged)."""
    try:
        kpi, area_code, period, language = table_state(state)
        frame, _level, parent = distribution(get_engine(), kpi, area_code, period)
    except StoreUnavailable:  # an outage, logged once by the query layer: no file
        return None
    except NotAllowed as error:  # outside the viewer's scope: the read border refused it
        refused(log, what, NotPermitted("req_area", error.args[0] if error.args else None))
        return None
    except (UnknownArea, UnknownKpi) as error:  # the store changed under the page
        field = "req_kpi" if isinstance(error, UnknownKpi) else "req_area"
        refused(log, what, Refused(field, error.args[0] if error.args else None, unknown=True))
        return None
    except Refused as refusal:
        refused(log, what, refusal)
        return None
    return kpi, distribution_frame(frame, kpi, language), language, file_stem(kpi, parent, period, frame, language)


@callback(
    Output("kpi-download-csv-file", "data"),
    Input("kpi-download-csv", "n_clicks"),
    State("kpi-table-state", "data"),
    prevent_initial_call=True,
)
def download_csv(n_clicks, state):
    shown = _table(state, "KPI CSV download") if n_clicks and state else None
    if shown is None:
        return no_update
    kpi, table, language, stem = shown
    note("export", f"{stem}.csv")
    return dcc.send_bytes(table_csv(table, language, kpi.decimals), f"{stem}.csv", type="text/csv")


@callback(
    Output("kpi-download-xlsx-file", "data"),
    Input("kpi-download-xlsx", "n_clicks"),
    State("kpi-table-state", "data"),
    prevent_initial_call=True,
)
def download_xlsx(n_clicks, state):
    shown = _table(state, "KPI XLSX download") if n_clicks and state else None
    if shown is None:
        return no_update
    kpi, table, language, stem = shown
    note("export", f"{stem}.xlsx")
    levels = {len(str(code)) for code in table["code"]}
    first = str(table["code"].iloc[0]) if len(table) else None  # Bangkok's districts are เขต
    sheet = t_at(
        "across_provinces" if levels == {2} else "across_districts" if levels == {4} else "area", language, first
    )
    return dcc.send_bytes(
        table_xlsx(table, language, sheet),
        f"{stem}.xlsx",
        type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
