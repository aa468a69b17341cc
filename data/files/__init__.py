"""Reading the files people bring: a sheet of KPI values (CSV or XLSX, long or wide) becomes
checked rows, or a clear message naming the file, row and column. No SQL here.

Reading a sheet as text cells, its size, encoding and structure checked first:

- `tables`: a sheet as text cells (`Table`) and the problems found in one (`RowError`,
  `ValueImportError`); the structure rules.
- `limits`: the limits of a file (bytes, rows, columns, cell length) and the reading sizes.
- `encoding`: a CSV file's text encoding, or why it is none we read.
- `headers`: the names a column may have; the header row and the separator.
- `csv_shape`: pass 1 over a CSV file, the cells of every record counted.
- `csv_reader`: a CSV file as a table (`read_csv`).
- `xlsx_reader`: an XLSX sheet as a table (`read_xlsx`).

Checking the rows of a values sheet against the catalog and the areas:

- `values_file`: a file of KPI values read and checked (`parse_values_file`), the checks in order.
- `columns`: what each column holds, a role or a KPI.
- `entries`: one entry per value, its file row, KPI and value text.
- `area_checks`: the area of each row and its level.
- `row_checks`: periods, values, targets, sources, flags, plausibility, repeated keys.
- `number_text`: numbers as written in Thai files (`parse_numbers`).
"""

__all__ = [
    "area_checks",
    "columns",
    "csv_reader",
    "csv_shape",
    "encoding",
    "entries",
    "headers",
    "limits",
    "number_text",
    "row_checks",
    "tables",
    "values_file",
    "xlsx_reader",
]
