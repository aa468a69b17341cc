"""Pass 1 over a CSV file: the cells of every record and the first records' text, the limits checked.

The cell counts are taken on the file's bytes with numpy when the quoting is plain
(`_byte_counts`), else with the csv module, whose strict quoting refuses text after a closing
quote and a quote never closed. The first records give the header (`data.files.headers`).
"""

from __future__ import annotations

import array
import csv
import functools
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from data.files import limits
from data.files.headers import find_header, header_of
from data.files.tables import Refused, column_name


class CsvShape(NamedTuple):
    """What pass 1 found: the first records, the header among them and the cells of every record."""

    head: list[list[str]]  # the first records, as text
    header_index: int
    counts: np.ndarray  # cells in every record of the file (0 for a blank line)
    short_lines: bool  # every record is one line of at most MAX_CELL_CHARS bytes: no cell can be too long


def _csv_error_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {limits.MAX_CELL_CHARS:,} characters"
    if "expected after" in text:
        return 'text after a closing double quote; a double quote inside a quoted cell is written twice ("")'
    if "unexpected end of data" in text:
        return "a double quote opens a cell that is never closed"
    return f"not a readable CSV row: {text}"


def _long_cell(path: Path, encoding: str, delimiter: str, record: int, header: list[str] | None) -> tuple[str, int]:
    """(column, length) of the first over-long cell of CSV record `record` (0-based), read with pandas."""
    try:
        row = pd.read_csv(
            path,
            encoding=encoding,
            sep=delimiter,
            header=None,
            skiprows=record,
            nrows=1,
            dtype=object,
            na_filter=False,
            engine="c",
            index_col=False,
        )
    except Exception:  # the row cannot be read on its own: name no column
        return "", 0
    for index, text in enumerate(row.iloc[0].tolist() if len(row) else []):
        if len(str(text)) > limits.MAX_CELL_CHARS:
            return column_name(header, index), len(str(text))
    return "", 0


class _LongLine(Exception):
    pass


def _capped_lines(handle) -> Iterator[str]:
    """The lines of a text file, each read at most MAX_LINE_CHARS at a time (memory stays bounded);
    a longer line breaks a limit whatever it holds."""
    longest = limits.MAX_LINE_CHARS
    for line in iter(functools.partial(handle.readline, longest), ""):
        if len(line) == longest and line[-1] not in "\r\n":
            raise _LongLine
        yield line


def _csv_failure(
    exc: Exception, path: Path, encoding: str, delimiter: str, record: int, head: list[list[str]]
) -> Refused:
    """The refusal for a csv module error (or an over-long line) at `record` (0-based)."""
    if isinstance(exc, _LongLine):
        return Refused(
            f"a line longer than {limits.MAX_LINE_CHARS:,} characters: more than {limits.MAX_COLUMNS:,} "
            f"cells or cells longer than {limits.MAX_CELL_CHARS:,} characters",
            record + 1,
        )
    reason, column = _csv_error_reason(exc), ""
    if "field larger" in str(exc):
        header_index = find_header(head)
        below = bool(head) and record > header_index
        column, length = _long_cell(path, encoding, delimiter, record, header_of(head[header_index]) if below else None)
        if length:
            reason = f"the cell has {length:,} characters; at most {limits.MAX_CELL_CHARS:,} are read"
    return Refused(reason, record + 1, column)


def _csv_head(path: Path, encoding: str, delimiter: str) -> tuple[list[list[str]], int]:
    """The first records as text and the index of the header among them, their limits checked."""
    head: list[list[str]] = []
    with open(path, encoding=encoding, newline="") as handle:
        try:
            head.extend(
                islice(csv.reader(_capped_lines(handle), delimiter=delimiter, strict=True), limits.HEADER_SEARCH_ROWS)
            )
        except (csv.Error, _LongLine) as exc:
            raise _csv_failure(exc, path, encoding, delimiter, len(head), head) from None
    header_index = find_header(head)
    header = header_of(head[header_index]) if head else []
    if len(header) > limits.MAX_COLUMNS:
        raise Refused(
            f"the header has {len(header):,} columns; at most {limits.MAX_COLUMNS:,} are read", header_index + 1
        )
    for number, record in enumerate(head, start=1):
        for index, cell in enumerate(record):
            if len(cell) > limits.MAX_CELL_CHARS:
                raise Refused(
                    f"the cell has {len(cell):,} characters; at most {limits.MAX_CELL_CHARS:,} are read",
                    number,
                    column_name(header if number > header_index + 1 else None, index),
                )
    return head, header_index


def _csv_counts(path: Path, encoding: str, delimiter: str, limit: int, head: list[list[str]]) -> np.ndarray:
    """The cells of every record (up to `limit` + 1 records), parsed by the csv module (strict quoting)."""
    counts = array.array("i")
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(_capped_lines(handle), delimiter=delimiter, strict=True)
        try:
            counts.extend(map(len, islice(reader, limit + 1)))
        except (csv.Error, _LongLine) as exc:
            raise _csv_failure(exc, path, encoding, delimiter, len(counts), head) from None
    return np.frombuffer(counts, dtype=np.int32) if len(counts) else np.zeros(0, dtype=np.int32)


def _plain_quotes(
    data: np.ndarray,
    at: np.ndarray,
    after: np.ndarray,
    quote: np.ndarray,
    inside: np.ndarray,
    separator: int,
    final: bool,
) -> bool:
    """Whether every quote among the special bytes `at` of `data` opens a cell at its start or closes
    one before a separator, a line end, the end of the file or a second quote (and, at the end of the
    file, the last quote opened is closed)."""
    before = np.where(at > 0, data[np.maximum(at - 1, 0)], np.uint8(10))[quote]
    opening, next_ = inside[quote], after[quote]
    field_start = (before == separator) | (before == 10) | (before == 13) | (before == 34)
    cell_end = (next_ == separator) | (next_ == 10) | (next_ == 13) | (next_ == 34) | (next_ == 0)
    if (opening & ~field_start).any() or (~opening & ~cell_end).any():
        return False
    return not (final and inside[-1])  # a quote never closed


class _Records(NamedTuple):
    """The records that end in a block of bytes (with the unfinished one before it)."""

    cells: np.ndarray  # cells of each record (0 for an empty line)
    lengths: np.ndarray  # bytes of each record, its line end left out
    pending: np.ndarray  # the bytes of the unfinished last record


def _block_records(data: np.ndarray, separator: int, final: bool) -> _Records | None:
    """The records ending in `data` (the pending bytes and the next block), or None when the
    quoting is not plain. `final`: `data` runs to the end of the file."""
    size = len(data) if final else len(data) - 1  # the last byte waits for the one after it
    # only the separators, line ends and quotes matter: work on their positions
    body = data[:size]
    at = np.flatnonzero((body == separator) | (body == 10) | (body == 13) | (body == 34))
    kind = data[at]
    after = np.append(data, np.uint8(0))[at + 1]  # the byte after each (0: the end of the file)
    quote = kind == 34
    inside = (np.cumsum(quote) & 1).astype(bool)  # after an odd number of quotes; a quote: it opens
    if quote.any() and not _plain_quotes(data, at, after, quote, inside, separator, final):
        return None
    outside = ~inside & ~quote
    lf = outside & (kind == 10)
    end_index = np.flatnonzero(lf | (outside & (kind == 13) & (after != 10)))  # indexes into `at`
    ends = at[end_index]
    separators = np.concatenate([[0], np.cumsum(outside & (kind == separator))])
    done_to = int(ends[-1]) + 1 if ends.size else 0
    if final and done_to < size:  # the last record has no line end
        ends, end_index, done_to = np.append(ends, size), np.append(end_index, len(at)), size
    pending = data[done_to:]
    if not ends.size:
        return _Records(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64), pending)
    starts = np.concatenate([[0], ends[:-1] + 1])
    first_index = np.concatenate([[0], end_index[:-1] + 1])
    crlf = (
        (ends < size)
        & (ends > starts)
        & (data[np.minimum(ends, len(data) - 1)] == 10)
        & (data[np.maximum(ends - 1, 0)] == 13)
    )
    lengths = ends - crlf - starts
    cells = separators[end_index] - separators[first_index] + 1
    return _Records(np.where(lengths == 0, 0, cells).astype(np.int32), lengths, pending)


def _byte_counts(path: Path, delimiter: str, limit: int, skip: int) -> tuple[np.ndarray, int] | None:
    """(cells of every record, the longest record in bytes), counted on the file's bytes with numpy
    (several times faster than the csv module), or None when the quoting is not plain.

    Plain quoting is what strict CSV writers produce: a double quote opens a cell only at its
    start, a closing one is followed by the separator, a line end, the end of the file or a
    second quote (a quote inside the cell). Then a separator or line end is part of a cell exactly
    when an odd number of quotes come before it. Anything else (a quote inside an unquoted cell,
    text after a closing quote, a quote never closed) returns None: the csv module reads or
    refuses those. Records end at LF, CRLF or a lone CR, as the csv module and pandas read them;
    an empty line has no cell. Only for encodings where these bytes never occur inside a character
    (UTF-8, TIS-620).
    """
    separator = ord(delimiter)
    parts: list[np.ndarray] = []
    records = longest = 0
    pending = np.zeros(0, dtype=np.uint8)  # the unfinished last record; it starts outside quotes
    with open(path, "rb") as handle:
        handle.seek(skip)
        final = False
        while not final and records <= limit:
            block = handle.read(limits.BLOCK_BYTES)
            final = not block
            found = _block_records(np.concatenate([pending, np.frombuffer(block, dtype=np.uint8)]), separator, final)
            if found is None:
                return None
            pending = found.pending
            if len(pending) > 4 * limits.MAX_LINE_CHARS:  # bytes: at most 4 to a character
                return None  # a record this long breaks a limit; the csv module names which
            if not found.cells.size:
                continue
            parts.append(found.cells)
            records += len(found.cells)
            longest = max(longest, int(found.lengths.max()))
            if longest > 4 * limits.MAX_LINE_CHARS:
                return None
    counts = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return counts[: limit + 1], longest


def csv_shape(path: Path, encoding: str, delimiter: str) -> CsvShape:
    """Pass 1: the records' cell counts (and the first records' text), with the limits checked."""
    head, header_index = _csv_head(path, encoding, delimiter)
    limit = header_index + 1 + limits.MAX_ROWS
    fast = None
    if not encoding.startswith("utf-16"):
        fast = _byte_counts(path, delimiter, limit, skip=3 if encoding == "utf-8-sig" else 0)
    if fast is not None and fast[0][: len(head)].tolist() == [len(record) for record in head]:
        counts, longest = fast
        short_lines = longest <= limits.MAX_CELL_CHARS
    else:
        counts, short_lines = _csv_counts(path, encoding, delimiter, limit, head), False
    if len(counts) > limit:
        raise Refused(f"the file has more than {limits.MAX_ROWS:,} data rows; split it into smaller files", limit + 1)
    too_wide = np.flatnonzero(counts > limits.MAX_COLUMNS)
    if too_wide.size:
        number = int(too_wide[0]) + 1
        raise Refused(f"{int(counts[too_wide[0]]):,} cells; at most {limits.MAX_COLUMNS:,} columns are read", number)
    return CsvShape(head, header_index, counts, short_lines)
