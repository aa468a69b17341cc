"""Read a sheet of KPI values from CSV (UTF-8 or CP874/TIS-620) or XLSX as text cells.

Finds the header row below any title rows, keeps the row numbers a user sees in the
spreadsheet, and turns unreadable files into a `ValueImportError` that names the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from data.periods import THAI_DIGITS

Progress = Callable[[str, int, int], None]

HEADER_SEARCH_ROWS = 10
MAX_ERROR_LINES = 200

# Header aliases, compared after `header_key` (lower case, no spaces, dots, dashes, slashes).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kpi": ("kpi", "kpiid", "kpicode", "indicator", "indicatorid", "ตัวชี้วัด", "รหัสตัวชี้วัด", "รหัสkpi"),
    "area": ("area", "areacode", "areaid", "geocode", "พื้นที่", "รหัสพื้นที่"),
    "province": ("province", "provincecode", "changwat", "จังหวัด", "รหัสจังหวัด"),
    "district": ("district", "districtcode", "amphoe", "amphur", "อำเภอ", "รหัสอำเภอ", "เขต", "อำเภอเขต"),
    "subdistrict": ("subdistrict", "subdistrictcode", "tambon", "ตำบล", "รหัสตำบล", "แขวง", "ตำบลแขวง"),
    "period": ("period", "ปี", "ปีงบประมาณ", "ปีงบ", "งวด", "fiscalyear", "fy", "year", "quarter", "month",
               "ไตรมาส", "เดือน", "ช่วงเวลา", "date", "วันที่"),
    "value": ("value", "ค่า", "ผลการดำเนินงาน", "ผลงาน", "ผล", "result", "actual"),
    "target": ("target", "เป้าหมาย", "ค่าเป้าหมาย"),
    "source": ("source", "datasource", "แหล่งข้อมูล", "ที่มา", "ที่มาข้อมูล"),
    "flag": ("flag", "status", "สถานะ", "สถานะข้อมูล"),
    "ignored": ("name", "kpiname", "ชื่อตัวชี้วัด", "unit", "หน่วย", "หน่วยนับ", "note", "notes", "remark",
                "remarks", "comment", "หมายเหตุ", "no", "ลำดับ", "ลำดับที่", "#", "areaname", "ชื่อพื้นที่",
                "level", "ระดับ"),
}
AREA_ROLES = ("province", "district", "subdistrict", "area")
ROLE_OF = {alias: role for role, aliases in COLUMN_ALIASES.items() for alias in aliases}


class RowError(NamedTuple):
    """One problem: the file, the row as a spreadsheet numbers it (header = 1), the column, why."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        column = f", column {self.column!r}" if self.column else ""
        return f"{self.file}, row {self.row}{column}: {self.reason}"


class ValueImportError(ValueError):
    """The file cannot be imported; `errors` lists every bad row. Nothing was written."""

    def __init__(self, file: str, errors: list[RowError], rows_read: int = 0):
        self.file = file
        self.errors = errors
        self.rows_read = rows_read
        super().__init__(file, len(errors))

    def __str__(self) -> str:
        rows = len({error.row for error in self.errors})
        lines = [f"{self.file}: {len(self.errors)} problem(s) in {rows} row(s); nothing was imported"]
        lines += [str(error) for error in self.errors[:MAX_ERROR_LINES]]
        if len(self.errors) > MAX_ERROR_LINES:
            lines.append(f"... and {len(self.errors) - MAX_ERROR_LINES} more problem(s)")
        return "\n".join(lines)


@dataclass
class Table:
    """A sheet as text cells: the header row and the data rows with their spreadsheet numbers."""

    header: list[str]
    cells: pd.DataFrame  # columns 0..n-1, object dtype, "" for empty
    row_numbers: np.ndarray
    header_row: int


def detect_encoding(path: Path) -> str:
    """utf-8-sig when the whole file decodes as UTF-8 (with or without BOM), else cp874 (TIS-620).

    Raises UnicodeDecodeError when it is neither.
    """
    for encoding in ("utf-8", "cp874"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if encoding == "cp874":
                raise
            continue
        return "utf-8-sig" if encoding == "utf-8" else encoding
    raise AssertionError("unreachable")


def header_key(text: object) -> str:
    text = unicodedata.normalize("NFC", str(text)).strip().lower().translate(THAI_DIGITS)
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)  # "ค่า (ร้อยละ)" -> "ค่า"
    return re.sub(r"[\s._\-/:]+", "", text)


def _header_score(cells: list[str]) -> int:
    roles = {ROLE_OF.get(header_key(cell)) for cell in cells}
    return len(roles & {"kpi", "period", "value", *AREA_ROLES})


def _find_header(rows: list[list[str]]) -> int:
    """The index of the header row: the first with two known column names (title rows above it)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _header_score(row) >= 2:
            return index
    return 0


def read_csv(path: Path, name: str, progress: Progress | None) -> Table:
    try:
        encoding = detect_encoding(path)
    except UnicodeDecodeError as exc:
        raise ValueImportError(name, [RowError(name, 1, "", "the file is neither UTF-8 nor TIS-620 (CP874) "
                                                            "text; save it as CSV UTF-8 or as .xlsx")]) from exc
    with open(path, encoding=encoding, newline="") as handle:
        head_lines = [line for _, line in zip(range(HEADER_SEARCH_ROWS), handle)]
    if not head_lines:
        raise ValueImportError(name, [RowError(name, 1, "", "the file is empty")])
    sample = "".join(head_lines)
    delimiter = max(",;\t|", key=sample.count)
    head_rows = list(csv.reader(head_lines, delimiter=delimiter))
    header_index = _find_header(head_rows)
    header = [cell.strip() for cell in head_rows[header_index]]
    columns = list(range(len(header)))
    total_bytes = path.stat().st_size
    line_bytes = max(1, len(sample.encode(encoding)) // max(1, len(head_lines)))
    estimate = max(1, total_bytes // line_bytes)
    chunks = []
    done = 0
    try:
        reader = pd.read_csv(path, encoding=encoding, sep=delimiter, header=None, names=columns,
                             skiprows=header_index + 1, dtype=object, na_filter=False,
                             skip_blank_lines=False, engine="c", chunksize=250_000, index_col=False)
        for chunk in reader:
            chunks.append(chunk)
            done += len(chunk)
            if progress:
                progress("read", done, max(done, estimate))
    except (pd.errors.ParserError, ValueError) as exc:
        reason = str(exc).split("\n")[0]
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", reason)
        if fields:  # pandas counts lines of the file, as a spreadsheet numbers rows
            expected, line, saw = map(int, fields.groups())
            error = RowError(name, line, "", f"{saw} cells but the header has {expected}; "
                                             "put a cell that contains a comma in double quotes")
        else:
            error = RowError(name, header_index + 1, "", f"not a readable CSV file: {reason}")
        raise ValueImportError(name, [error]) from exc
    cells = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=columns, dtype=object)
    if progress:
        progress("read", len(cells), len(cells))
    cells = cells.fillna("")
    first_row = header_index + 2
    return Table(header, cells, np.arange(first_row, first_row + len(cells)), header_index + 1)


def _excel_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", "") or ""):
            value = round(value * 100, 10)  # 85% is stored as 0.85
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    return str(value)


def read_xlsx(path: Path, name: str, sheet: str | None, progress: Progress | None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValueImportError(name, [RowError(name, 1, "", f"not a readable XLSX file: {exc}")]) from exc
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise ValueImportError(name, [RowError(name, 1, "", f"there is no sheet named {sheet!r}; "
                                                                f"sheets: {', '.join(workbook.sheetnames)}")])
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        total = worksheet.max_row or 1
        rows: list[list[str]] = []
        for number, row in enumerate(worksheet.iter_rows(), start=1):
            rows.append([_excel_text(cell) for cell in row])
            if progress and number % 50_000 == 0:
                progress("read", number, max(total, number))
    finally:
        workbook.close()
    if not rows:
        raise ValueImportError(name, [RowError(name, 1, "", "the sheet is empty")])
    header_index = _find_header(rows)
    header = [cell.strip() for cell in rows[header_index]]
    width = max(len(header), max(len(row) for row in rows))
    header += [""] * (width - len(header))
    body = [row + [""] * (width - len(row)) for row in rows[header_index + 1:]]
    cells = pd.DataFrame(body, columns=range(width), dtype=object)
    if progress:
        progress("read", len(rows), len(rows))
    first_row = header_index + 2
    return Table(header, cells, np.arange(first_row, first_row + len(cells)), header_index + 1)
