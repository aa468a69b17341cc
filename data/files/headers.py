"""The header of a sheet: the names a column may have, and which row and separator hold them.

Names are compared after `header_key` (lower case, no spaces, dots, dashes, slashes, Thai
digits as Arabic, nothing in brackets). A row with two known names is the header; title rows may
stand above it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from data.files import limits
from data.rules.periods import THAI_DIGITS

# Header aliases, compared after `header_key` (lower case, no spaces, dots, dashes, slashes).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kpi": ("kpi", "kpiid", "kpicode", "indicator", "indicatorid", "ตัวชี้วัด", "รหัสตัวชี้วัด", "รหัสkpi"),
    "area": ("area", "areacode", "areaid", "geocode", "พื้นที่", "รหัสพื้นที่"),
    "province": ("province", "provincecode", "changwat", "จังหวัด", "รหัสจังหวัด"),
    "district": ("district", "districtcode", "amphoe", "amphur", "อำเภอ", "รหัสอำเภอ", "เขต", "อำเภอเขต"),
    "subdistrict": ("subdistrict", "subdistrictcode", "tambon", "ตำบล", "รหัสตำบล", "แขวง", "ตำบลแขวง"),
    "period": (
        "period",
        "ปี",
        "ปีงบประมาณ",
        "ปีงบ",
        "งวด",
        "fiscalyear",
        "fy",
        "year",
        "quarter",
        "month",
        "ไตรมาส",
        "เดือน",
        "ช่วงเวลา",
        "date",
        "วันที่",
    ),
    "value": ("value", "ค่า", "ผลการดำเนินงาน", "ผลงาน", "ผล", "result", "actual"),
    "target": ("target", "เป้าหมาย", "ค่าเป้าหมาย"),
    "source": ("source", "datasource", "แหล่งข้อมูล", "ที่มา", "ที่มาข้อมูล"),
    "flag": ("flag", "status", "สถานะ", "สถานะข้อมูล"),
    "ignored": (
        "name",
        "kpiname",
        "ชื่อตัวชี้วัด",
        "unit",
        "หน่วย",
        "หน่วยนับ",
        "note",
        "notes",
        "remark",
        "remarks",
        "comment",
        "หมายเหตุ",
        "no",
        "ลำดับ",
        "ลำดับที่",
        "#",
        "areaname",
        "ชื่อพื้นที่",
        "level",
        "ระดับ",
    ),
}
AREA_ROLES = ("province", "district", "subdistrict", "area")
ROLE_OF = {alias: role for role, aliases in COLUMN_ALIASES.items() for alias in aliases}


def header_key(text: object) -> str:
    """A header name as names are compared: NFC, lower case, Arabic digits, nothing in brackets, no
    spaces, dots, underscores, dashes, slashes or colons."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower().translate(THAI_DIGITS)
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)  # "ค่า (ร้อยละ)" -> "ค่า"
    return re.sub(r"[\s._\-/:]+", "", text)


def _header_score(cells: list[str]) -> int:
    roles = {ROLE_OF.get(header_key(cell)) for cell in cells}
    return len(roles & {"kpi", "period", "value", *AREA_ROLES})


def find_header(rows: list[list[str]]) -> int:
    """The index of the header row: the first with two known column names (title rows above it),
    else the first with any text."""
    search = limits.HEADER_SEARCH_ROWS
    for index, row in enumerate(rows[:search]):
        if _header_score(row) >= 2:
            return index
    # no known names: the first row with text (its names are then refused as unknown columns)
    return next((index for index, row in enumerate(rows[:search]) if any(str(c).strip() for c in row)), 0)


def choose_delimiter(sample: str) -> str:
    """The separator under which a row of the sample reads as a header (most known names), else
    the most frequent: "1,234.5" in a tab- or semicolon-separated file does not make it comma-separated."""

    def key(delimiter: str) -> tuple[int, int]:
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            return -1, sample.count(delimiter)
        return (
            max((_header_score(row) for row in rows[: limits.HEADER_SEARCH_ROWS]), default=0),
            sample.count(delimiter),
        )

    return max(",;\t|", key=key)


def header_of(row: list[str]) -> list[str]:
    """Header names, stripped, without the empty ones after the last name."""
    header = [cell.strip() for cell in row]
    while len(header) > 1 and not header[-1]:
        header.pop()
    return header
