"""The workbook file: one sheet per table under a name Excel takes, a bold frozen header row
with filter buttons, text cells that are never formulas, number formats on the numbers and
column widths that fit what the cells show (Thai marks above and below a letter take no room)."""

from __future__ import annotations

import io
import unicodedata

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from layouts.theme import HEADER_TINT
from reports.content import Esr
from reports.xlsx.cells import Table
from reports.xlsx.sheets import tables

MAX_SHEET_NAME = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_TINT.lstrip("#").upper())  # openpyxl wants RRGGBB
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 8, 60, 24


def workbook(report: Esr) -> bytes:
    """The report's data as an XLSX file, one sheet per section of the report."""
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
        candidate = f"{name[: MAX_SHEET_NAME - 3]} {number}"
        number += 1
    used.add(candidate)
    return candidate
