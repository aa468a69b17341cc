"""What the workbook says in the report's language: this package's headers, notes and sheet
names, and the words for the store's codes (statuses, freshness, trends, goals, frequencies,
period types), never the codes themselves."""

from __future__ import annotations

from layouts.text.format import FRESHNESS, STATUS, TREND, is_missing
from layouts.text.i18n import FREQUENCIES, GOAL_NAMES, WORDS

OVERALL = "ALL"

# Codes of the store the app has no word for (th, en). Codes it does know (statuses, freshness and
# trends in layouts.text.format, goal names and frequencies in layouts.text.i18n) are taken from there, so
# the workbook says what the pages and the PDF say.
CODE_WORDS: dict[str, tuple[str, str]] = {
    "insufficient_data": ("ข้อมูลไม่เพียงพอ", "Insufficient data"),  # a goal score resting on too little weight
    OVERALL: ("ภาพรวม", "Overall"),
    "Y": ("ปีงบประมาณ", "Fiscal year"),
    "Q": ("ไตรมาส", "Quarter"),
    "M": ("เดือน", "Month"),
}

# The workbook's headers, notes and sheet names (th, en).
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
    "rounding_note": (
        ("ค่าในแผ่นงานปัดเศษตามจำนวนทศนิยมของแต่ละตัวชี้วัด คะแนนปัดเป็นทศนิยม 2 ตำแหน่ง ค่าที่ไม่ปัดเศษอยู่ในแผ่นงาน “{sheet}”"),
        (
            "Values are rounded to each KPI's decimals and scores to 2 decimals; the unrounded "
            "numbers are in the sheet “{sheet}”"
        ),
    ),
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
    """A word of the workbook."""
    thai, english = WORDS_XLSX[key]
    return english if language == "en" else thai


def readable(code, language: str) -> str | None:
    """The word for a code of the store (a status, freshness, trend, goal or frequency) in
    `language`: the app's own word where it has one, this package's, or else the code made into
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
