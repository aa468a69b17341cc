"""Read an XLSX sheet of KPI values as text cells, streamed, its limits checked before a cell is read.

Cells become the text Excel shows for them (dates as YYYY-MM-DD, percentages as percent);
cells the file stores wrongly become their text, which the value checks refuse where a number
is needed. A damaged file is refused, naming the row.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from data.files import limits
from data.files.headers import find_header
from data.files.tables import (
    Progress,
    Refused,
    RowError,
    Table,
    ValueImportError,
    check_file_size,
    column_letter,
    refuse,
)


def _excel_text(value: object, percent: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)  # "nan", "inf": text the value checks refuse
        if percent:
            value = round(value * 100, 10)  # 85% is stored as 0.85
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    return str(value)


def _check_xlsx_parts(path: Path) -> None:
    """Refuse a workbook whose parts unpack beyond the limits, before openpyxl reads any of them."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(f"not a readable XLSX file: {exc}") from exc
    for part in parts:
        sheet = part.filename.startswith("xl/worksheets/")
        limit = limits.MAX_XLSX_SHEET_BYTES if sheet else limits.MAX_XLSX_PART_BYTES
        if part.file_size > limit:
            raise Refused(
                f"{part.filename} unpacks to {part.file_size:,} bytes; at most {limit:,} are read "
                f"({'copy the data to a new, smaller sheet' if sheet else 'the file may be damaged'})"
            )


def _xlsx_parser(worksheet):
    """openpyxl's streaming sheet parser, tolerant of numbers it cannot convert (they stay text).

    Used directly, not through `iter_rows`, because read-only `iter_rows` trusts the sheet's
    declared extent (cells beyond it are dropped, gaps up to it are filled) and stops at the
    first cell it cannot convert. This relies on openpyxl internals (WorkSheetParser,
    ReadOnlyWorksheet._get_source and _shared_strings, the workbook's date formats), stable
    since openpyxl 2.6 and covered by tests/test_tables.py.
    """
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            try:
                return super().parse_cell(element)
            except Exception as exc:
                data_type, coordinate = element.get("t", "n"), element.get("r")
                try:
                    row, column = (
                        coordinate_to_tuple(coordinate) if coordinate else (self.row_counter, self.col_counter)
                    )
                except Exception:
                    raise Refused(
                        f"the cell reference {coordinate!r} is not valid: the file is damaged", self.row_counter
                    ) from exc
                if data_type in ("n", "b", "d", "e"):  # "NaN", "INF", "abc" in a number cell: keep the text
                    text = element.findtext(VALUE_TAG) or ""
                    return {"row": row, "column": column, "value": text, "data_type": "s", "style_id": 0}
                if data_type == "s":
                    index = element.findtext(VALUE_TAG)
                    raise Refused(
                        f"the cell refers to shared text {index!r}, which the file does not have: the file is damaged",
                        row,
                        column_letter(column - 1),
                    ) from exc
                raise

    workbook = worksheet.parent
    return Parser(
        worksheet._get_source(),
        worksheet._shared_strings,
        data_only=workbook.data_only,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )


def _percent_styles(worksheet) -> Callable[[int], bool]:
    """Whether a cell style of the workbook shows numbers as percentages, looked up once per style."""
    from openpyxl.cell.read_only import ReadOnlyCell

    percent: dict[int, bool] = {}

    def is_percent(style_id: int) -> bool:
        if style_id not in percent:
            try:
                percent[style_id] = "%" in (ReadOnlyCell(worksheet, 1, 1, 0, "n", style_id).number_format or "")
            except Exception:  # a style the workbook does not have: a plain number
                percent[style_id] = False
        return percent[style_id]

    return is_percent


def _row_texts(number: int, cells: list[dict], is_percent: Callable[[int], bool]) -> list[str]:
    """The texts of row `number`'s cells up to the last non-empty one, their limits checked."""
    texts: dict[int, str] = {}
    for cell in cells:
        value = cell["value"]
        if value is None or value == "":
            continue
        column = cell["column"]
        if column in texts:
            raise Refused(f"two cells are stored at {column_letter(column - 1)}{number}: the file is damaged", number)
        if column > limits.MAX_COLUMNS:
            raise Refused(
                f"a cell in column {column_letter(column - 1)} ({column:,}); at most "
                f"{limits.MAX_COLUMNS:,} columns are read",
                number,
                column_letter(column - 1),
            )
        text = _excel_text(value, isinstance(value, (int, float)) and is_percent(cell["style_id"]))
        if len(text) > limits.MAX_CELL_CHARS:
            raise Refused(
                f"the cell has {len(text):,} characters; at most {limits.MAX_CELL_CHARS:,} are read",
                number,
                column_letter(column - 1),
            )
        texts[column] = text
    row = [""] * max(texts, default=0)
    for column, text in texts.items():
        row[column - 1] = text
    return row


def _xlsx_rows(worksheet, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts up to the last non-empty one) for each row the sheet stores."""
    is_percent = _percent_styles(worksheet)
    total = worksheet.max_row or 0
    row_limit = limits.MAX_ROWS + limits.HEADER_SEARCH_ROWS
    parser = _xlsx_parser(worksheet)
    last = 0
    try:
        for number, cells in parser.parse():
            if number <= last:
                raise Refused(f"row {number} is stored after row {last}: the file is damaged", number)
            if number > row_limit:
                raise Refused(f"the sheet has more than {limits.MAX_ROWS:,} data rows; split it", number)
            last = number
            yield number, _row_texts(number, cells, is_percent)
            if progress and number % 50_000 == 0:
                progress("read", number, max(total, number))
    except Refused:
        raise
    except Exception as exc:  # XML that does not parse, a row number that is not one, ...
        reason = str(exc).split("\n")[0] or type(exc).__name__
        row = parser.row_counter if parser.row_counter > last else last + 1  # the row being read
        raise Refused(f"the sheet cannot be read after row {last}: {reason}; the file is damaged", row) from exc
    finally:
        parser.source.close()


def _worksheet(workbook, name: str, sheet: str | None):
    """The sheet named `sheet` (else the first) of an open workbook; refuses a missing sheet, a chart
    sheet and a sheet whose declared extent is beyond the limits."""
    if sheet is not None and sheet not in workbook.sheetnames:
        raise ValueImportError(
            name,
            [RowError(name, 1, "", f"there is no sheet named {sheet!r}; sheets: {', '.join(workbook.sheetnames)}")],
        )
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    if not hasattr(worksheet, "_shared_strings"):  # a chart sheet, not a worksheet
        raise ValueImportError(name, [RowError(name, 1, "", f"sheet {worksheet.title!r} holds no cells")])
    width, height = worksheet.max_column or 0, worksheet.max_row or 0
    if width > limits.MAX_COLUMNS or height > limits.MAX_ROWS + limits.HEADER_SEARCH_ROWS:
        extent = f"{column_letter(worksheet.min_column - 1)}{worksheet.min_row}:{column_letter(width - 1)}{height}"
        raise ValueImportError(
            name,
            [
                RowError(
                    name,
                    1,
                    "",
                    (
                        f"the sheet's used range {extent} reaches column {column_letter(width - 1)} ({width:,}) "
                        f"and row {height:,}; at most {limits.MAX_COLUMNS:,} columns and {limits.MAX_ROWS:,} data "
                        "rows are read: delete the unused columns and rows, or copy the data to a new sheet"
                    ),
                )
            ],
        )
    return worksheet


def _sheet_rows(worksheet, name: str, progress: Progress | None) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of the sheet's rows from the first non-empty one on."""
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, row in _xlsx_rows(worksheet, progress):
            if row or rows:  # rows above the first non-empty one are no title
                rows.append((number, row))
    except Refused as problem:
        raise refuse(name, problem) from None
    return rows


def _sheet_table(rows: list[tuple[int, list[str]]], name: str, title: str, progress: Progress | None) -> Table:
    """The table of a sheet's rows: the header found, the data rows below it padded to one width."""
    while rows and not rows[-1][1]:
        rows.pop()
    if not rows:
        raise ValueImportError(name, [RowError(name, 1, "", f"the sheet {title!r} is empty")])
    numbers = [number for number, _ in rows]
    texts = [row for _, row in rows]
    header_index = find_header(texts)
    header = [cell.strip() for cell in texts[header_index]]
    header_row = numbers[header_index]
    body = texts[header_index + 1 :]
    if not any(cell.strip() for row in body for cell in row):
        raise ValueImportError(name, [RowError(name, header_row, "", "the sheet has a header but no data rows")])
    width = max(len(header), max(len(row) for row in body))
    header += [""] * (width - len(header))
    cells = pd.DataFrame([row + [""] * (width - len(row)) for row in body], columns=range(width), dtype=object)
    if progress:
        progress("read", numbers[-1], numbers[-1])
    return Table(header, cells, np.array(numbers[header_index + 1 :]), header_row)


def read_xlsx(path: Path, name: str, sheet: str | None, progress: Progress | None) -> Table:
    """Sheet `sheet` (else the first) of an XLSX file as a table of text cells, its structure checked;
    raises ValueImportError naming `name`."""
    from openpyxl import load_workbook

    try:
        check_file_size(path)
        _check_xlsx_parts(path)
    except Refused as problem:
        raise refuse(name, problem) from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValueImportError(name, [RowError(name, 1, "", f"not a readable XLSX file: {exc}")]) from exc
    try:
        worksheet = _worksheet(workbook, name, sheet)
        rows = _sheet_rows(worksheet, name, progress)
    finally:
        workbook.close()
    return _sheet_table(rows, name, worksheet.title, progress)
