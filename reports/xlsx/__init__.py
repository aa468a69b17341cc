"""The data behind an ESR as an XLSX workbook, written to be read as a person reads it.

One sheet per section of the report, named for what it holds in the report's language (at most
31 characters, Excel's limit, so no name is cut). Headers are words with the unit where a column
holds a quantity; statuses, freshness, trends, goals and frequencies are words, periods are labels
("ไตรมาส 1/2568"), never the store's codes. Numbers stay numbers: KPI values rounded to the KPI's
decimals, scores to 2, coverage and completeness as percentages to 1, each cell with an Excel
number format showing those decimals. The unrounded numbers of the area are in one sheet of
their own ("ค่าละเอียด (ไม่ปัดเศษ)" / "Full precision").

- `words`: the workbook's headers and sheet names (`w`, `SHEET_KEYS`) and the store's codes as
  words (`readable`).
- `cells`: a sheet's `Table` and the readers that round, label and word a report's frame.
- `sheets`: the sheets of the report, in its order (`tables`, `sheets`).
- `book`: the file itself (`workbook`) and the sheet-name rule (`_sheet_name`).
"""

from reports.xlsx.book import _sheet_name, workbook
from reports.xlsx.cells import Table
from reports.xlsx.sheets import sheets, tables
from reports.xlsx.words import (
    CODE_WORDS,
    SHEET_KEYS,
    WORDS_XLSX,
    number_format,
    readable,
    w,
)

__all__ = [
    "CODE_WORDS",
    "SHEET_KEYS",
    "WORDS_XLSX",
    "Table",
    "_sheet_name",
    "number_format",
    "readable",
    "sheets",
    "tables",
    "w",
    "workbook",
]
