"""A sheet of KPI values as text cells, and the problems found in one.

A sheet is read from CSV (`data.files.csv_reader`) or XLSX (`data.files.xlsx_reader`), its
structure checked first; the header row is found below any title rows (`data.files.headers`)
and the row numbers a user sees in the spreadsheet are kept. An unreadable or malformed file
becomes a `ValueImportError` that names the file, the row and, where it can, the column.
Nothing here looks at what a cell means; the checks of columns, KPIs, areas, periods and
numbers are in `data.files.values_file`.

Structure rules, checked before any value:

* Limits (constants of `data.files.limits`): a file of at most `MAX_FILE_BYTES`; at most
  `MAX_COLUMNS` columns and `MAX_ROWS` data rows; no cell longer than `MAX_CELL_CHARS`
  characters. An XLSX sheet whose declared extent (its `<dimension>`) is wider or taller than
  the limits is refused before a cell is read, parts of the workbook that unpack beyond
  `MAX_XLSX_SHEET_BYTES` (a worksheet) or `MAX_XLSX_PART_BYTES` (anything else, e.g. the shared
  strings) before it is opened. Both readers stream: memory grows with the cells read, never
  with a declared size.
* CSV encodings (`data.files.encoding.detect_encoding`): UTF-8 with or without BOM, UTF-16 LE
  or BE with BOM (Excel's "Unicode text", tab separated) and TIS-620/CP874. CP874 gives a
  character to almost any byte, so it is accepted only when the text reads as Thai (few Thai
  vowels or tone marks without their consonant, leading vowels before a non-consonant, lone
  Thai letters glued to Latin letters other than abbreviations such as "ต.ค.", obsolete
  letters: see `data.files.encoding.ThaiScore`); Latin-1/Windows-1252 text ("café") and UTF-8
  with a stray byte are refused, naming what they look like, never guessed. A Latin-1 symbol
  standing alone between spaces or digits ("± 5") reads as a Thai consonant and is not caught.
  The separator is the one under which a row of the first lines reads as a header. The
  encoding found is `Table.encoding`.
* CSV rows: every data row has the header's number of cells (the header counted to its last
  non-empty name). Blank lines are allowed and keep their row number; a row may end in
  extra cells only if they are all empty (trailing separators, as some tools write); any other
  row with more or fewer cells is refused, naming the row and both counts. Quoting is strict:
  text after a closing quote, or a quote never closed, is refused.
* XLSX cells the file stores wrongly (text or NaN/INF in a number cell, a broken date or
  boolean) become their text, which the value checks refuse where a number is needed; a bad
  shared-string index, a damaged cell reference, rows out of order, two cells in one place or
  XML that does not parse make the file unreadable, naming the row.
* An empty file or sheet, and a header with no data rows below it, are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from data.files import limits

Progress = Callable[[str, int, int], None]

SAVE_AS = "save it from Excel as 'CSV UTF-8 (Comma delimited)' or as an .xlsx workbook"


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
        shown = limits.MAX_ERROR_LINES
        lines = [f"{self.file}: {len(self.errors)} problem(s) in {rows} row(s); nothing was imported"]
        lines += [str(error) for error in self.errors[:shown]]
        if len(self.errors) > shown:
            lines.append(f"... and {len(self.errors) - shown} more problem(s)")
        return "\n".join(lines)


@dataclass
class Table:
    """A sheet as text cells: the header row and the data rows with their spreadsheet numbers."""

    header: list[str]
    cells: pd.DataFrame  # columns 0..n-1, object dtype, "" for empty
    row_numbers: np.ndarray
    header_row: int
    encoding: str = ""  # how a CSV's text was encoded ("UTF-8", "UTF-16 LE", "TIS-620 (CP874)" ...); "" for XLSX


class Refused(Exception):
    """A structure problem found while reading; `read_csv`/`read_xlsx` turn it into a ValueImportError."""

    def __init__(self, reason: str, row: int = 1, column: str = ""):
        super().__init__(reason)
        self.reason, self.row, self.column = reason, row, column


def refuse(name: str, problem: Refused) -> ValueImportError:
    """The ValueImportError of file `name` for a structure problem."""
    return ValueImportError(name, [RowError(name, problem.row, problem.column, problem.reason)])


@dataclass
class Problems:
    """Problems of the rows of a sheet collected as arrays, one check at a time; sorted by row at the end."""

    file: str
    rows: list[np.ndarray] = field(default_factory=list)
    columns: list[np.ndarray] = field(default_factory=list)
    reasons: list[np.ndarray] = field(default_factory=list)

    def add(self, rows: np.ndarray, column, reason) -> None:
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        self.rows.append(rows)
        self.columns.append(np.broadcast_to(np.asarray(column, dtype=object), rows.shape))
        self.reasons.append(np.broadcast_to(np.asarray(reason, dtype=object), rows.shape))

    def __bool__(self) -> bool:
        return bool(self.rows)

    def error(self, rows_read: int) -> ValueImportError:
        rows = np.concatenate(self.rows)
        columns = np.concatenate(self.columns)
        reasons = np.concatenate(self.reasons)
        order = np.argsort(rows, kind="stable")
        errors = [
            RowError(self.file, int(r), str(c), str(m)) for r, c, m in zip(rows[order], columns[order], reasons[order])
        ]
        return ValueImportError(self.file, errors, rows_read)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> "A", 26 -> "AA")."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_name(header: list[str] | None, index: int) -> str:
    """A column as the error lists show it: its header name, else its letter."""
    if header is not None and index < len(header) and header[index]:
        return header[index]
    return column_letter(index)


def check_file_size(path: Path) -> int:
    """The size of a file in bytes; refused beyond `limits.MAX_FILE_BYTES`."""
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise Refused(
            f"the file has {size:,} bytes; at most {limits.MAX_FILE_BYTES:,} are read: split it into smaller files"
        )
    return size
