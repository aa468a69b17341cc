"""The names of the report downloads (ESR as PDF or XLSX, a page snapshot) in the reader's
language and calendar: "รายงานสรุปผู้บริหาร_เชียงใหม่_ปีงบประมาณ-2569", "ESR_Chiang-Mai_FY-2026",
"ภาพหน้าจอ_กลุ่มที่-1_ไตรมาส-4-2569"; safe for every file system (`layouts.text.format.file_name`)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

from data.query import Engine, areas, clusters
from data.rules.areas import COUNTRY_CODE, area_name
from data.rules.catalog import get_catalog
from data.rules.periods import Period, parse_period_param, thai_today
from layouts.text.format import file_name, format_date
from layouts.text.i18n import t
from reports.content import EsrRequest


def _area(engine: Engine, code: str, language: str) -> str:
    table = areas(engine)
    return area_name(table.loc[code], language) if code in table.index else code


def _cluster(engine: Engine, number: str, language: str) -> str:
    table = clusters(engine)
    match = table[table["number"].astype(str) == str(number)]
    return area_name(match.iloc[0], language) if not match.empty else t("cluster_n", language).format(n=number)


def _when(period: Period | None, language: str, today: dt.date | None) -> str:
    if period is not None:
        return period.label(language)
    return t("as_of_file", language).format(day=format_date(today or thai_today(), language))


def esr_file_name(engine: Engine, request: EsrRequest, today: dt.date | None = None) -> str:
    """The report, its area (province, cluster or the country) and its period (or the day it is
    as of), in the report's language."""
    language = request.language
    if request.kind == "province":
        where = _area(engine, str(request.code), language)
    elif request.kind == "cluster":
        where = _cluster(engine, str(request.code), language)
    else:
        where = _area(engine, COUNTRY_CODE, language)
    return file_name(t("esr_file", language), where, _when(request.period, language, today))


def snapshot_file_name(engine: Engine, path_and_query: str, language: str, today: dt.date | None = None) -> str:
    """A snapshot of a page: the page (its area, KPI or name) and its period, in the page's language."""
    parts = urlsplit(path_and_query)
    segments = [p for p in parts.path.strip("/").split("/") if p]
    try:
        period = parse_period_param(dict(parse_qsl(parts.query)).get("period"))
    except ValueError:
        period = None
    kind, code = (segments + ["", ""])[:2]
    if kind in ("province", "district"):
        page = _area(engine, code, language)
    elif kind == "cluster":
        page = _cluster(engine, code, language)
    elif kind == "kpi":
        kpi = get_catalog().by_id().get(code)
        page = kpi.name.get(language) if kpi else t("kpi", language)
    elif kind == "data":
        page = t("data_status", language)
    else:
        page = t("overview", language)
    return file_name(t("snapshot", language), page, _when(period, language, today))
