"""The downloads of /kpi/<id>: the distribution table shown, as CSV (UTF-8 with BOM) or XLSX.
The page stores what it showed (KPI, area, period, language); the callback rebuilds that same
table through the same functions."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback, dcc, no_update

from data.catalog import KPI, get_catalog
from data.engine import get_engine
from data.queries import areas, map_values
from layouts.format import LATEST, parse_period_param, period_param
from layouts.kpi import distribution_frame, table_csv, table_xlsx

DISTRICT_LEVELS = ("district", "subdistrict")


def distribution_scope(kpi: KPI, area_code: str, table: pd.DataFrame) -> tuple[str, str | None]:
    """(level, parent) of the distribution: the districts of the area's province when the KPI
    is published by district and the area is a province or district, else the provinces."""
    if kpi.finest_level in DISTRICT_LEVELS and area_code in table.index:
        level = table.loc[area_code, "level"]
        if level == "province":
            return "district", area_code
        if level in DISTRICT_LEVELS:
            return "district", str(table.loc[area_code, "province_code"])
    return "province", None


def distribution(engine, kpi: KPI, area_code: str, period) -> tuple[pd.DataFrame, str, str | None]:
    level, parent = distribution_scope(kpi, area_code, areas(engine))
    return map_values(engine, kpi.id, level, parent, period), level, parent


def file_stem(kpi: KPI, parent: str | None, period_value: str | None, frame: pd.DataFrame) -> str:
    """kpi_<id>[_<province>]_<period>: the selected period, or the latest one shown."""
    period = period_value if period_value and period_value != LATEST else None
    if period is None and frame["fiscal_year"].notna().any():
        latest = frame.dropna(subset=["fiscal_year"]).sort_values(["fiscal_year", "period_no"]).iloc[-1]
        period = str(int(latest["fiscal_year"])) + (
            f"{latest['period_type']}{int(latest['period_no'])}" if latest["period_type"] in ("Q", "M") else "")
    return "_".join(part for part in ("kpi", kpi.id, parent, period or LATEST) if part)


def _table(state: dict):
    kpi = get_catalog().by_id()[state["kpi"]]
    period_value = state.get("period") or LATEST
    period = None if period_value == LATEST else parse_period_param(period_value)
    frame, _level, parent = distribution(get_engine(), kpi, state.get("area") or "TH", period)
    language = state.get("lang") or "th"
    return kpi, distribution_frame(frame, kpi, language), language, file_stem(kpi, parent, period_param(period), frame)


@callback(Output("kpi-download-csv-file", "data"), Input("kpi-download-csv", "n_clicks"),
          State("kpi-table-state", "data"), prevent_initial_call=True)
def download_csv(n_clicks, state):
    if not n_clicks or not state:
        return no_update
    kpi, table, language, stem = _table(state)
    return dcc.send_bytes(table_csv(table, language, kpi.decimals), f"{stem}.csv", type="text/csv")


@callback(Output("kpi-download-xlsx-file", "data"), Input("kpi-download-xlsx", "n_clicks"),
          State("kpi-table-state", "data"), prevent_initial_call=True)
def download_xlsx(n_clicks, state):
    if not n_clicks or not state:
        return no_update
    kpi, table, language, stem = _table(state)
    return dcc.send_bytes(table_xlsx(table, language, kpi.id), f"{stem}.xlsx",
                          type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
