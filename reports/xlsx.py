"""The data behind an ESR as an XLSX workbook, written to be read as a person reads it.

One sheet per section of the report, named for what it holds in the report's language (at most
31 characters, Excel's limit, so no name is cut). Headers are words with the unit where a column
holds a quantity; statuses, freshness, trends, goals and frequencies are words, periods are labels
("ไตรมาส 1/2568"), never the store's codes. Numbers stay numbers: KPI values rounded to the KPI's
decimals, scores to 2, coverage and completeness as percentages to 1, each cell with an Excel
number format showing those decimals. The unrounded numbers of the area are in one sheet of
their own ("ค่าละเอียด (ไม่ปัดเศษ)" / "Full precision").
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from data.rules.catalog import get_catalog
from data.query import period_label
from layouts.format import FRESHNESS, STATUS, TREND, format_timestamp, is_missing
from layouts.i18n import FREQUENCIES, GOAL_NAMES, WORDS, t
from reports.content import BUDGET_KPIS, Esr

OVERALL = "ALL"
SCORE_DECIMALS = 2
PERCENT_DECIMALS = 1  # coverage and completeness, as percentages
MAX_SHEET_NAME = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")

# Codes of the store the app has no word for (th, en). Codes it does know (statuses, freshness and
# trends in layouts.format, goal names and frequencies in layouts.i18n) are taken from there, so
# the workbook says what the pages and the PDF say.
CODE_WORDS: dict[str, tuple[str, str]] = {
    "insufficient_data": ("ข้อมูลไม่เพียงพอ", "Insufficient data"),  # a goal score resting on too little weight
    OVERALL: ("ภาพรวม", "Overall"),
    "Y": ("ปีงบประมาณ", "Fiscal year"),
    "Q": ("ไตรมาส", "Quarter"),
    "M": ("เดือน", "Month"),
}

# This module's headers, notes and sheet names (th, en).
WORDS_XLSX: dict[str, tuple[str, str]] = {
    "kpi_code": ("รหัสตัวชี้วัด", "KPI code"),
    "province_code": ("รหัสจังหวัด", "Province code"),
    "cluster_no": ("กลุ่มที่", "Cluster no."),
    "data_period": ("งวดข้อมูล", "Data period"),
    "score_1_5": ("คะแนน (1–5)", "Score (1–5)"),
    "coverage_pct": ("ความครอบคลุม (ร้อยละ)", "Coverage (%)"),
    "completeness_pct": ("ความครบถ้วน (ร้อยละ)", "Completeness (%)"),
    "kpis_present": ("ตัวชี้วัดที่มีข้อมูล (ตัว)", "KPIs with data"),
    "kpis_scored": ("ตัวชี้วัดที่คิดคะแนน (ตัว)", "KPIs scored"),
    "kpis_missing": ("ตัวชี้วัดที่ไม่มีข้อมูล", "KPIs without data"),
    "provinces_count": ("จำนวนจังหวัด", "Provinces"),
    "provinces_off": ("จังหวัดที่ต่ำกว่าเป้า (จังหวัด)", "Provinces off target"),
    "last_import_th_time": ("นำเข้าล่าสุด (เวลาประเทศไทย)", "Last imported (Thai time)"),
    "item": ("หัวข้อ", "Item"),
    "report_type": ("ประเภทรายงาน", "Report type"),
    "region": ("ภาค", "Region"),
    "scope": ("ขอบเขต", "Scope"),
    "detail": ("รายละเอียด", "Detail"),
    "rounding_note": ("ค่าในแผ่นงานปัดเศษตามจำนวนทศนิยมของแต่ละตัวชี้วัด คะแนนปัดเป็นทศนิยม 2 ตำแหน่ง "
                      "ค่าที่ไม่ปัดเศษอยู่ในแผ่นงาน “{sheet}”",
                      "Values are rounded to each KPI's decimals and scores to 2 decimals; the unrounded "
                      "numbers are in the sheet “{sheet}”"),
    "rounding": ("การปัดเศษ", "Rounding"),
    # sheet names: short enough for Excel (31 characters) in both languages
    "sheet_cover": ("สรุป", "Summary"),
    "sheet_goals": ("คะแนนรายเป้าหมาย", "Goal scores"),
    "sheet_exceptions": ("ตัวชี้วัดต่ำกว่าเป้า", "Off-target KPIs"),
    "sheet_budget": ("การเบิกจ่ายงบประมาณ", "Budget disbursement"),
    "sheet_budget_ranking": ("อันดับการเบิกจ่าย", "Disbursement ranking"),
    "sheet_members": ("จังหวัดในกลุ่ม", "Member provinces"),
    "sheet_provinces": ("คะแนนรายจังหวัด", "Province scores"),
    "sheet_clusters": ("คะแนนกลุ่มจังหวัด", "Cluster scores"),
    "sheet_comparison": ("คะแนนตัวชี้วัดรายจังหวัด", "KPI scores by province"),
    "sheet_kpis": ("ตัวชี้วัดทั้งหมด", "All KPIs"),
    "sheet_quality": ("ข้อมูลล่าช้าและขาดหาย", "Overdue and missing data"),
    "sheet_precision": ("ค่าละเอียด (ไม่ปัดเศษ)", "Full precision"),
}
SHEET_KEYS = tuple(k for k in WORDS_XLSX if k.startswith("sheet_"))


def w(key: str, language: str) -> str:
    """A word of this module."""
    thai, english = WORDS_XLSX[key]
    return english if language == "en" else thai


def readable(code, language: str) -> str | None:
    """The word for a code of the store (a status, freshness, trend, goal or frequency) in
    `language`: the app's own word where it has one, this module's, or else the code made into
    words ("some_new_state" -> "Some new state"), never the code itself. None stays None."""
    if is_missing(code):
        return None
    word = _word(str(code), language)
    return word[:1].upper() + word[1:] if word else None


def _word(code: str, language: str) -> str:
    for badges in (STATUS, FRESHNESS, TREND):
        if code in badges:
            return badges[code].word(language)
    if code in GOAL_NAMES:
        thai, english = GOAL_NAMES[code]
        return f"{code} {english if language == 'en' else thai}"
    for table in (FREQUENCIES, WORDS, CODE_WORDS):
        if code in table:
            thai, english = table[code]
            return english if language == "en" else thai
    return code.replace("_", " ").strip()


def number_format(decimals: int) -> str:
    """Thousands separators and exactly `decimals` decimals: "#,##0.00"."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


# =========================================================================== tables


class Table:
    """Columns of cells (header -> values) with an Excel number format per cell."""

    def __init__(self, rows: int, *, filters: bool = True):
        self.rows = rows
        self.filters = filters  # Excel's filter buttons on the header row
        self.columns: dict[str, list] = {}
        self.formats: dict[str, list[str | None]] = {}
        self.max_width: dict[str, int] = {}

    def add(self, header: str, values: Iterable, formats: str | Sequence[str | None] | None = None, *,
            max_width: int | None = None) -> None:
        """A column; `max_width` keeps a column of long repeated text (the goal's name) from taking
        the screen: the whole text stays in the cell."""
        cells = [_cell(v) for v in values]
        if len(cells) != self.rows:
            raise ValueError(f"column {header!r} has {len(cells)} cells, the table {self.rows} rows")
        self.columns[header] = cells
        self.formats[header] = list(formats) if isinstance(formats, (list, tuple)) else [formats] * self.rows
        if max_width:
            self.max_width[header] = max_width

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)


def _cell(value):
    """A value as a cell: None for missing, plain Python numbers, tuples joined."""
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value) if value else None
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy / pandas scalars
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def _rounded(values, decimals: Sequence[int]) -> list:
    return [None if is_missing(v) else round(float(v), int(d)) for v, d in zip(values, decimals)]


def _column(frame: pd.DataFrame, name: str) -> list:
    return list(frame[name]) if name in frame.columns else [None] * len(frame)


def _decimals(frame: pd.DataFrame) -> list[int]:
    """Each row's KPI decimals: the frame's own `decimals` column, else the catalog's."""
    by_id = get_catalog().by_id()
    out = []
    for row_decimals, kpi_id in zip(_column(frame, "decimals"), _column(frame, "kpi_id")):
        if not is_missing(row_decimals):
            out.append(int(row_decimals))
        elif isinstance(kpi_id, str) and kpi_id in by_id:
            out.append(int(by_id[kpi_id].decimals))
        else:
            out.append(SCORE_DECIMALS)
    return out


def _periods(frame: pd.DataFrame, language: str) -> list[str | None]:
    out = []
    for row_type, year, number in zip(_column(frame, "period_type"), _column(frame, "fiscal_year"),
                                      _column(frame, "period_no")):
        if is_missing(year) or not isinstance(row_type, str):
            out.append(None)
        else:
            out.append(period_label(row_type, year, 0 if is_missing(number) else number, language))
    return out


def _words(values, language: str) -> list:
    return [readable(v, language) for v in values]


def _ints(values) -> list:
    return [None if is_missing(v) else int(v) for v in values]


def _scores(values) -> list:
    return [None if is_missing(v) else round(float(v), SCORE_DECIMALS) for v in values]


def _percent(values) -> list:
    """Shares 0–1 as percentages."""
    return [None if is_missing(v) else round(float(v) * 100.0, PERCENT_DECIMALS) for v in values]


def _kpi_names(lists, language: str) -> list:
    """Tuples of KPI ids as the KPIs' names."""
    by_id = get_catalog().by_id()
    out = []
    for ids in lists:
        ids = tuple(ids) if isinstance(ids, (tuple, list)) else ()
        out.append(", ".join(by_id[i].name.get(language) if i in by_id else str(i) for i in ids) or None)
    return out


def _kpi_table(frame: pd.DataFrame, language: str, *, provinces: bool = False) -> Table:
    """KPI rows (scorecard, exceptions, budget, cluster comparison): the KPI, its period, its
    value and target in its own unit and decimals, score, status and the rest where present."""
    en = language == "en"
    table = Table(len(frame))
    if provinces:
        table.add(w("province_code", language), _column(frame, "area_code"))
        table.add(t("province", language), _column(frame, "name_en" if en else "name_th"))
    table.add(t("goal", language), _words(_column(frame, "goal"), language), max_width=GOAL_WIDTH)
    table.add(w("kpi_code", language), _column(frame, "kpi_id"))
    names = "kpi_name_en" if en else "kpi_name_th"
    table.add(t("kpi", language), _column(frame, names if names in frame.columns else ("name_en" if en else "name_th")))
    table.add(t("unit", language), _column(frame, "unit_en" if en else "unit_th"))
    table.add(w("data_period", language), _periods(frame, language))
    decimals = _decimals(frame)
    formats = [number_format(d) for d in decimals]
    table.add(t("value", language), _rounded(_column(frame, "value"), decimals), formats)
    table.add(t("target", language), _rounded(_column(frame, "target"), decimals), formats)
    if "gap_to_target" in frame.columns:
        table.add(t("esr_gap", language), _rounded(frame["gap_to_target"], decimals), formats)
    table.add(w("score_1_5", language), _scores(_column(frame, "score")), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(frame, "status"), language))
    if "trend" in frame.columns:
        table.add(t("trend", language), _words(frame["trend"], language))
    for rank in ("rank_cluster", "rank_country"):
        if rank in frame.columns and not frame[rank].isna().all():
            table.add(t(rank, language), _ints(frame[rank]), number_format(0))
    if "coverage" in frame.columns:
        table.add(w("coverage_pct", language), _percent(frame["coverage"]), number_format(PERCENT_DECIMALS))
    if "provinces_off_target" in frame.columns:
        table.add(w("provinces_off", language), _ints(frame["provinces_off_target"]), number_format(0))
    if "freshness" in frame.columns:
        table.add(t("freshness", language), _words(frame["freshness"], language))
    owner = "owner_en" if en else "owner_th"
    if owner in frame.columns:
        table.add(t("owner", language), frame[owner])
    return table


# =========================================================================== the sheets


def _cover(report: Esr) -> Table:
    language = report.language
    kind = report.request.kind
    subtitle = {"province": t("cluster", language), "cluster": w("region", language)}.get(kind, w("scope", language))
    rows = [(t("esr", language), report.title), (w("report_type", language), t(f"esr_kind_{kind}", language)),
            (subtitle, report.subtitle), *report.cover_facts()]
    if report.request.note:
        rows.append((t("esr_note", language), report.request.note))
    if report.is_demo:
        rows.append((t("demo_badge", language), t("demo_notice", language)))
    rows.append((w("rounding", language), w("rounding_note", language).format(sheet=w("sheet_precision", language))))
    table = Table(len(rows), filters=False)
    table.add(w("item", language), [r[0] for r in rows])
    table.add(w("detail", language), [r[1] for r in rows])
    return table


def _goals(report: Esr) -> Table:
    language, goals = report.language, report.goals
    if not report.goal_ranks.empty and "goal" in report.goal_ranks.columns:
        ranks = [c for c in ("rank_cluster", "rank_country") if c in report.goal_ranks.columns]
        goals = goals.merge(report.goal_ranks[["goal", *ranks]], on="goal", how="left")
    table = Table(len(goals))
    table.add(t("goal", language), _words(goals["goal"], language))
    table.add(w("score_1_5", language), _scores(goals["score"]), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(goals, "status"), language))
    if "coverage" in goals.columns:
        table.add(w("coverage_pct", language), _percent(goals["coverage"]), number_format(PERCENT_DECIMALS))
    for count in ("kpis_present", "kpis_scored"):
        if count in goals.columns:
            table.add(w(count, language), _ints(goals[count]), number_format(0))
    for rank in ("rank_cluster", "rank_country"):
        if rank in goals.columns and not goals[rank].isna().all():
            table.add(t(rank, language), _ints(goals[rank]), number_format(0))
    if "missing" in goals.columns:
        table.add(w("kpis_missing", language), _kpi_names(goals["missing"], language))
    return table


def _goal_columns(table: Table, rows: Sequence, score_of: Callable[[object, str], object], language: str) -> None:
    for goal in GOAL_NAMES:
        table.add(readable(goal, language), _scores([score_of(r, goal) for r in rows]), number_format(SCORE_DECIMALS))


def _members(report: Esr) -> Table:
    """One row per province: overall score, status and ranks, then the six goal scores."""
    language, members = report.language, report.members
    name = "name_en" if language == "en" else "name_th"
    scores = {(r["area_code"], r["goal"]): r for r in members.to_dict("records")}
    provinces = list(dict.fromkeys(members["area_code"]))
    overall = [scores.get((p, OVERALL), {}) for p in provinces]
    names = [next(r[name] for (a, _g), r in scores.items() if a == p) for p in provinces]
    table = Table(len(provinces))
    table.add(w("province_code", language), provinces)
    table.add(t("province", language), names)
    table.add(t("overall_score", language), _scores([r.get("score") for r in overall]), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words([r.get("status") for r in overall], language))
    for rank in ("rank_cluster", "rank_country"):
        values = [r.get(rank) for r in overall]
        if not all(is_missing(v) for v in values):
            table.add(t(rank, language), _ints(values), number_format(0))
    _goal_columns(table, provinces, lambda p, g: scores.get((p, g), {}).get("score"), language)
    return table


def _clusters(report: Esr) -> Table:
    language, clusters = report.language, report.clusters
    rows = clusters.to_dict("records")
    table = Table(len(rows))
    table.add(w("cluster_no", language), _ints(_column(clusters, "number")), number_format(0))
    table.add(t("cluster", language), _column(clusters, "name_en" if language == "en" else "name_th"))
    table.add(w("provinces_count", language), _ints(_column(clusters, "provinces")), number_format(0))
    table.add(t("overall_score", language), _scores(_column(clusters, "score")), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(clusters, "status"), language))
    _goal_columns(table, rows, lambda r, g: r.get(f"score_{g}"), language)
    return table


def _budget(report: Esr) -> Table | None:
    rows = [{**report.budget[k], "kpi_id": k} for k in BUDGET_KPIS if k in report.budget]  # kpi_id was the index
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    quarter = report.budget.get("quarter_target_pct")
    rate = report.budget.get("budget_disbursement_pct")
    if quarter is not None and rate is not None:  # the cumulative % due by now, in the rate's unit
        frame = pd.concat([frame, pd.DataFrame([{
            "goal": rate.get("goal"), "name_th": t("esr_quarter_target", "th"),
            "name_en": t("esr_quarter_target", "en"),
            "unit_th": rate.get("unit_th"), "unit_en": rate.get("unit_en"), "decimals": rate.get("decimals"),
            "period_type": rate.get("period_type"), "fiscal_year": rate.get("fiscal_year"),
            "period_no": rate.get("period_no"), "value": quarter}])], ignore_index=True)
    return _kpi_table(frame, report.language)


def _budget_ranking(report: Esr) -> Table | None:
    ranking = report.budget.get("ranking")
    if ranking is None or ranking.empty:
        return None
    language = report.language
    decimals = _decimals(ranking)
    kpi = get_catalog().by_id().get(str(ranking["kpi_id"].iloc[0])) if "kpi_id" in ranking.columns else None
    value = t("value", language) if kpi is None else f"{kpi.name.get(language)} ({kpi.unit.get(language)})"
    table = Table(len(ranking))
    table.add(w("province_code", language), ranking["area_code"])
    table.add(t("province", language), _column(ranking, "name_en" if language == "en" else "name_th"))
    table.add(w("data_period", language), _periods(ranking, language))
    table.add(value, _rounded(ranking["value"], decimals), [number_format(d) for d in decimals])
    table.add(w("score_1_5", language), _scores(_column(ranking, "score")), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(ranking, "status"), language))
    for rank in ("rank_cluster", "rank_country"):
        if rank in ranking.columns and not ranking[rank].isna().all():
            table.add(t(rank, language), _ints(ranking[rank]), number_format(0))
    return table


def _quality(report: Esr) -> Table:
    language, quality = report.language, report.quality
    en = language == "en"
    table = Table(len(quality))
    table.add(t("goal", language), _words(_column(quality, "goal"), language), max_width=GOAL_WIDTH)
    table.add(w("kpi_code", language), _column(quality, "kpi_id"))
    table.add(t("kpi", language), _column(quality, "name_en" if en else "name_th"))
    table.add(t("frequency", language), _words(_column(quality, "frequency"), language))
    table.add(t("latest_period", language), _periods(quality, language))
    table.add(t("freshness", language), _words(_column(quality, "freshness"), language))
    table.add(w("completeness_pct", language), _percent(_column(quality, "completeness")),
              number_format(PERCENT_DECIMALS))
    table.add(w("last_import_th_time", language),
              [None if is_missing(v) else format_timestamp(v, language) for v in _column(quality, "last_imported_at")])
    table.add(t("owner", language), _column(quality, "owner_en" if en else "owner_th"))
    return table


def _precision(report: Esr) -> Table:
    """The area's goal scores and KPI rows as the store computes them, not rounded."""
    language, goals, card = report.language, report.goals, report.card
    en = language == "en"
    count = len(goals) + len(card)
    table = Table(count)
    blank = [None] * len(goals)
    table.add(t("goal", language), _words([*goals["goal"], *_column(card, "goal")], language), max_width=GOAL_WIDTH)
    table.add(w("kpi_code", language), blank + _column(card, "kpi_id"))
    table.add(t("kpi", language), blank + _column(card, "name_en" if en else "name_th"))
    table.add(t("unit", language), blank + _column(card, "unit_en" if en else "unit_th"))
    table.add(w("data_period", language), blank + _periods(card, language))
    table.add(t("value", language), blank + _column(card, "value"))
    table.add(t("target", language), blank + _column(card, "target"))
    table.add(w("score_1_5", language), [*goals["score"], *_column(card, "score")])
    coverage = [*_column(goals, "coverage"), *_column(card, "coverage")]
    table.add(w("coverage_pct", language), [None if is_missing(v) else float(v) * 100.0 for v in coverage])
    return table


def tables(report: Esr) -> dict[str, Table]:
    """Sheet name -> table, in the order of the report."""
    language = report.language
    out: dict[str, Table | None] = {
        w("sheet_cover", language): _cover(report),
        w("sheet_goals", language): _goals(report),
        w("sheet_exceptions", language): _kpi_table(report.exceptions, language),
        w("sheet_budget", language): _budget(report),
        w("sheet_budget_ranking", language): _budget_ranking(report),
    }
    if not report.members.empty:
        key = "sheet_provinces" if report.request.kind == "national" else "sheet_members"
        out[w(key, language)] = _members(report)
    if not report.clusters.empty:
        out[w("sheet_clusters", language)] = _clusters(report)
    if not report.comparison.empty:
        out[w("sheet_comparison", language)] = _kpi_table(report.comparison, language, provinces=True)
    out[w("sheet_kpis", language)] = _kpi_table(report.card, language)
    out[w("sheet_quality", language)] = _quality(report)
    out[w("sheet_precision", language)] = _precision(report)
    return {name: table for name, table in out.items() if table is not None}


def sheets(report: Esr) -> dict[str, pd.DataFrame]:
    """Sheet name -> the cells it shows (headers as written), in the order of the report."""
    return {name: table.frame() for name, table in tables(report).items()}


# =========================================================================== the workbook

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 8, 60, 24
GOAL_WIDTH = 28  # "G1 สร้างความสามารถ…" beside each KPI: enough to tell the goals apart


def workbook(report: Esr) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, table in tables(report).items():
        sheet = book.create_sheet(_sheet_name(name, used))
        _write(sheet, table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(sheet, table: Table) -> None:
    headers = list(table.columns)
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=_text(header))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        widths = [min(_display_width(header), MAX_HEADER_WIDTH)]
        for row, (value, fmt) in enumerate(zip(table.columns[header], table.formats[header]), start=2):
            cell = sheet.cell(row=row, column=index)
            if isinstance(value, str):
                cell.value = _text(value)
                cell.data_type = "s"  # text, never a formula ("=..." in a name or a note)
            else:
                cell.value = value
                if fmt and isinstance(value, (int, float)):
                    cell.number_format = fmt
            widths.append(_display_width(_shown(value, fmt)))
        widest = min(MAX_WIDTH, table.max_width.get(header, MAX_WIDTH))
        sheet.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(widest, max(widths) + 2))
    sheet.freeze_panes = "A2"
    if table.filters and table.rows and headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{table.rows + 1}"


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _shown(value, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and fmt:
        decimals = len(fmt.split(".", 1)[1]) if "." in fmt else 0
        return f"{value:,.{decimals}f}"
    return str(value)


def _display_width(text: str) -> int:
    """Characters that take room: Thai vowel and tone marks sit above or below the letter."""
    return sum(1 for c in str(text) if not unicodedata.combining(c) and unicodedata.category(c) != "Mn")


def _sheet_name(name: str, used: set[str]) -> str:
    """The name as Excel takes it: the names are chosen to fit (at most 31 characters, none of
    []:*?/\\), so a name that does not is a mistake here, not something to cut. Unique."""
    if len(name.encode("utf-16-le")) // 2 > MAX_SHEET_NAME or FORBIDDEN_IN_SHEET_NAMES & set(name) or not name.strip():
        raise ValueError(f"sheet name {name!r} is not a valid Excel sheet name")
    candidate, number = name, 2
    while candidate.casefold() in {u.casefold() for u in used}:  # Excel compares names without case
        candidate = f"{name[:MAX_SHEET_NAME - 3]} {number}"
        number += 1
    used.add(candidate)
    return candidate
