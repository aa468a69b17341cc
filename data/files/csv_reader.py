"""Read a CSV sheet of KPI values as text cells: its encoding, separator and shape checked first.

Pass 1 (`data.files.csv_shape`) counts the cells of every record; pass 2 reads the cells with
pandas in chunks, checking every row's cell count against the header's and every cell's length.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from data.files import limits
from data.files.csv_shape import CsvShape, csv_shape
from data.files.encoding import sniff_encoding
from data.files.headers import choose_delimiter, header_of
from data.files.tables import (
    SAVE_AS,
    Progress,
    Refused,
    RowError,
    Table,
    ValueImportError,
    check_file_size,
    column_name,
    refuse,
)

SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a '|'"}


def _check_counts(
    chunk: pd.DataFrame,
    counts: np.ndarray,
    rows: np.ndarray,
    width: int,
    delimiter: str,
    name: str,
    errors: list[RowError],
) -> None:
    """Rows of `chunk` whose cell count is not the header's `width` (blank rows and all-empty extra cells aside)."""
    odd = np.flatnonzero((counts != width) & (counts != 0))
    if not odd.size:
        return
    cells = chunk.iloc[odd]
    filled = cells.apply(lambda column: column.str.strip() != "").to_numpy()
    blank = ~filled.any(axis=1)
    extra = filled[:, width:].any(axis=1) if filled.shape[1] > width else np.zeros(len(odd), dtype=bool)
    separator = SEPARATOR_NAMES.get(delimiter, repr(delimiter))
    for position in np.flatnonzero(~blank):
        count = int(counts[odd[position]])
        if count < width:
            hint = "a cell is missing or the row is cut short"
        elif extra[position]:
            hint = f"a cell that contains {separator} must be in double quotes"
        else:
            continue  # only empty cells after the last column: trailing separators
        errors.append(RowError(name, int(rows[odd[position]]), "", f"{count} cells but the header has {width}; {hint}"))


def _check_lengths(chunk: pd.DataFrame, rows: np.ndarray, header: list[str], name: str, errors: list[RowError]) -> None:
    for index in chunk.columns:
        values = chunk[index].to_numpy()
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        for position in np.flatnonzero(lengths > limits.MAX_CELL_CHARS)[: limits.MAX_STRUCTURE_ERRORS]:
            errors.append(
                RowError(
                    name,
                    int(rows[position]),
                    column_name(header, index),
                    f"the cell has {int(lengths[position]):,} characters; at most {limits.MAX_CELL_CHARS:,} are read",
                )
            )


def _has_text(chunk: pd.DataFrame) -> bool:
    """Whether any cell of `chunk` holds more than white space (the first rows with a cell looked at first)."""
    candidates = np.flatnonzero(chunk.astype(bool).to_numpy().any(axis=1))
    for rows in (candidates[:100], candidates[100:]):
        if rows.size and chunk.iloc[rows].apply(lambda column: column.str.strip() != "").to_numpy().any():
            return True
    return False


def _csv_layout(path: Path) -> tuple[str, str, str, CsvShape]:
    """(codec, encoding name, separator, pass 1's shape) of a CSV file; raises Refused."""
    if check_file_size(path) == 0:
        raise Refused("the file is empty")
    encoding, label = sniff_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        sample = "".join(handle.readline(limits.SAMPLE_LINE_CHARS) for _ in range(limits.HEADER_SEARCH_ROWS))
    delimiter = choose_delimiter(sample)
    return encoding, label, delimiter, csv_shape(path, encoding, delimiter)


def _data_counts(shape: CsvShape, name: str) -> np.ndarray:
    """The cell counts of the records below the header; refuses a file without a header or data rows."""
    head, counts = shape.head, shape.counts
    if not any(cell.strip() for record in head for cell in record):
        reason = (
            f"the first {limits.HEADER_SEARCH_ROWS} rows are blank; the header must be in one of them"
            if counts[len(head) :].any()
            else "the file is empty"
        )
        raise ValueImportError(name, [RowError(name, 1, "", reason)])
    data_counts = counts[shape.header_index + 1 :]
    if not data_counts.any():
        raise ValueImportError(
            name, [RowError(name, shape.header_index + 1, "", "the file has a header but no data rows")]
        )
    return data_counts


def _check_chunk(
    chunk: pd.DataFrame,
    counts: np.ndarray,
    rows: np.ndarray,
    header: list[str],
    delimiter: str,
    short_lines: bool,
    name: str,
    errors: list[RowError],
) -> None:
    """Add the rows of `chunk` with a wrong cell count or an over-long cell to `errors`; stop reading
    when there are too many."""
    _check_counts(chunk, counts, rows, len(header), delimiter, name, errors)
    if not short_lines:
        _check_lengths(chunk, rows, header, name, errors)
    if len(errors) >= limits.MAX_STRUCTURE_ERRORS:
        raise ValueImportError(
            name,
            errors
            + [
                RowError(
                    name, int(rows[-1]), "", f"reading stopped after {len(errors):,} problems in the file's structure"
                )
            ],
        )


def _read_cells(
    path: Path,
    name: str,
    encoding: str,
    delimiter: str,
    shape: CsvShape,
    data_counts: np.ndarray,
    header: list[str],
    progress: Progress | None,
) -> list[pd.DataFrame]:
    """Pass 2: the data rows in chunks of text cells, each row's cell count (`data_counts` from pass 1)
    and cell lengths checked."""
    header_row = shape.header_index + 1
    width = len(header)
    columns = list(range(max(width, int(data_counts.max()))))
    first_row = header_row + 1
    total = len(data_counts)
    errors: list[RowError] = []
    chunks = []
    done = 0
    has_data = False
    try:
        for chunk in _chunks(path, encoding, delimiter, columns, shape.header_index + 1):
            chunk_counts = data_counts[done : done + len(chunk)]
            rows = np.arange(first_row + done, first_row + done + len(chunk))
            if len(chunk_counts) != len(chunk):
                break  # the two readers disagree on the rows: refused below
            _check_chunk(chunk, chunk_counts, rows, header, delimiter, shape.short_lines, name, errors)
            if len(columns) > width:
                chunk = chunk.iloc[:, :width]
            has_data = has_data or _has_text(chunk)  # usually settled by the first chunk
            chunks.append(chunk)
            done += len(chunk)
            if progress:
                progress("read", done, max(done, total))
    except ValueImportError:
        raise
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        reason = str(exc).split("\n")[0]
        raise ValueImportError(name, [RowError(name, header_row, "", f"not a readable CSV file: {reason}")]) from exc
    _refuse_incomplete(name, header_row, errors, done, total, has_data)
    return chunks


def _chunks(path: Path, encoding: str, delimiter: str, columns: list[int], skiprows: int) -> Iterator[pd.DataFrame]:
    """Pandas' reader of the rows below the header, in chunks of text cells, `columns` wide."""
    return pd.read_csv(
        path,
        encoding=encoding,
        sep=delimiter,
        header=None,
        names=columns,
        skiprows=skiprows,
        dtype=object,
        na_filter=False,
        doublequote=True,
        skip_blank_lines=False,
        engine="c",
        chunksize=limits.CSV_CHUNK_ROWS,
        index_col=False,
    )


def _refuse_incomplete(
    name: str, header_row: int, errors: list[RowError], done: int, total: int, has_data: bool
) -> None:
    """Refuse the file when pass 2 found problems in its structure, read other rows than pass 1
    counted, or found no cell with text below the header."""
    if errors:
        raise ValueImportError(name, errors)
    if done != total:
        raise ValueImportError(
            name,
            [
                RowError(
                    name, header_row, "", f"the rows could not be read consistently ({done:,} and {total:,}); {SAVE_AS}"
                )
            ],
        )
    if not has_data:
        raise ValueImportError(name, [RowError(name, header_row, "", "the file has a header but no data rows")])


def read_csv(path: Path, name: str, progress: Progress | None) -> Table:
    """A CSV file as a table of text cells, its structure checked; raises ValueImportError naming `name`."""
    try:
        encoding, label, delimiter, shape = _csv_layout(path)
    except Refused as problem:
        raise refuse(name, problem) from None
    data_counts = _data_counts(shape, name)
    header_row = shape.header_index + 1
    header = header_of(shape.head[shape.header_index])
    chunks = _read_cells(path, name, encoding, delimiter, shape, data_counts, header, progress)
    cells = pd.concat(chunks, ignore_index=True)
    cells.columns = range(len(header))
    if progress:
        progress("read", len(cells), len(cells))
    first_row = header_row + 1
    return Table(header, cells, np.arange(first_row, first_row + len(cells)), header_row, label)
