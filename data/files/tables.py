"""Read a sheet of KPI values from CSV or XLSX as text cells, its structure checked first.

Finds the header row below any title rows, keeps the row numbers a user sees in the
spreadsheet, and turns unreadable or malformed files into a `ValueImportError` that names the
file, the row and, where it can, the column. Nothing here looks at what a cell means; the
checks of columns, KPIs, areas, periods and numbers are in `data.files.values_file`.

Structure rules, checked before any value:

* Limits (module constants): a file of at most `MAX_FILE_BYTES`; at most `MAX_COLUMNS`
  columns and `MAX_ROWS` data rows; no cell longer than `MAX_CELL_CHARS` characters. An XLSX
  sheet whose declared extent (its `<dimension>`) is wider or taller than the limits is refused
  before a cell is read, parts of the workbook that unpack beyond `MAX_XLSX_SHEET_BYTES` (a
  worksheet) or `MAX_XLSX_PART_BYTES` (anything else, e.g. the shared strings) before it is
  opened. Both readers stream: memory grows with the cells read, never with a declared size.
* CSV encodings (`detect_encoding`): UTF-8 with or without BOM, UTF-16 LE or BE with BOM
  (Excel's "Unicode text", tab separated) and TIS-620/CP874. CP874 gives a character to
  almost any byte, so it is accepted only when the text reads as Thai (few Thai vowels or tone
  marks without their consonant, leading vowels before a non-consonant, lone Thai letters
  glued to Latin letters other than abbreviations such as "ต.ค.", obsolete letters: see
  `_ThaiScore`); Latin-1/Windows-1252 text ("café") and UTF-8 with a stray byte are refused,
  naming what they look like, never guessed. A Latin-1 symbol standing alone between spaces or
  digits ("± 5") reads as a Thai consonant and is not caught. The separator is the one under
  which a row of the first lines reads as a header. The encoding found is `Table.encoding`.
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

import array
import codecs
import csv
import datetime as dt
import functools
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import numpy as np
import pandas as pd

from data.rules.periods import THAI_DIGITS

Progress = Callable[[str, int, int], None]

HEADER_SEARCH_ROWS = 10
MAX_ERROR_LINES = 200

# ---- limits: each refused with a message naming it, before the whole file is read
MAX_FILE_BYTES = 512 * 1024 * 1024  # a CSV or XLSX file as stored
MAX_CELL_CHARS = 4_000  # characters in one cell (Excel itself allows 32,767)
MAX_COLUMNS = 2_000  # columns of a sheet
MAX_ROWS = 5_000_000  # data rows below the header
MAX_XLSX_SHEET_BYTES = 2 * 1024 * 1024 * 1024  # a worksheet's XML, unpacked (it is streamed)
MAX_XLSX_PART_BYTES = 256 * 1024 * 1024  # any other part of a workbook, unpacked (read whole)
MAX_LINE_CHARS = MAX_COLUMNS * (2 * MAX_CELL_CHARS + 3)  # the longest CSV line within the limits (quotes doubled)
MAX_STRUCTURE_ERRORS = 1_000  # rows with a wrong cell count listed before reading stops

CSV_CHUNK_ROWS = 250_000
SAMPLE_LINE_CHARS = 1 << 20  # characters of a line looked at to choose the separator
BLOCK_BYTES = 1 << 20
SAVE_AS = "save it from Excel as 'CSV UTF-8 (Comma delimited)' or as an .xlsx workbook"
SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a '|'"}

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
    encoding: str = ""  # how a CSV's text was encoded ("UTF-8", "UTF-16 LE", "TIS-620 (CP874)" ...); "" for XLSX


class _Refused(Exception):
    """A structure problem found while reading; `read_csv`/`read_xlsx` turn it into a ValueImportError."""

    def __init__(self, reason: str, row: int = 1, column: str = ""):
        super().__init__(reason)
        self.reason, self.row, self.column = reason, row, column


def _refuse(name: str, problem: _Refused) -> ValueImportError:
    return ValueImportError(name, [RowError(name, problem.row, problem.column, problem.reason)])


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> "A", 26 -> "AA")."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_name(header: list[str] | None, index: int) -> str:
    """A column as the error lists show it: its header name, else its letter."""
    if header is not None and index < len(header) and header[index]:
        return header[index]
    return column_letter(index)


# ====================================================================== encodings


def _byte_table(*ranges: tuple[int, int]) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    for low, high in ranges:
        table[low:high + 1] = True
    return table


# classes of TIS-620/CP874 bytes (Thai U+0E01..U+0E5B is byte 0xA1..0xFB)
_THAI = _byte_table((0xA1, 0xDA), (0xDF, 0xFB))
_THAI_DIGIT = _byte_table((0xF0, 0xF9))
_THAI_LETTER = _THAI & ~_THAI_DIGIT
_CONSONANT = _byte_table((0xA1, 0xCE))  # ก..ฮ, with ฤ and ฦ
_MARK = _byte_table((0xD1, 0xD1), (0xD4, 0xDA), (0xE7, 0xEE))  # vowels above/below, tone marks
_LEADING_VOWEL = _byte_table((0xE0, 0xE4))  # เ แ โ ใ ไ: always before a consonant
_OBSOLETE = _byte_table((0xA3, 0xA3), (0xA5, 0xA5))  # ฃ ฅ: not written in modern Thai
_LATIN = _byte_table((0x41, 0x5A), (0x61, 0x7A))


class _ThaiScore:
    """How much a CP874 reading looks like something else, counted over the raw bytes.

    `runs` counts runs of Thai characters; `score` the signs that they are not Thai: a vowel
    or tone mark without a consonant before it (2), a leading vowel not followed by a
    consonant (2), a lone Thai letter glued to Latin letters, not an abbreviation's (2, as "é"
    in "café" reads), a
    Thai digit inside a Latin word (2), an obsolete letter (2). Genuine Thai text scores
    about nothing; Latin-1 text at least 1 for every run.
    """

    def __init__(self) -> None:
        self.runs = 0
        self.score = 0
        self.first: int | None = None  # byte offset of the first sign
        self._carry = np.frombuffer(b"\n", dtype=np.uint8)
        self._base = -1  # file offset of _carry[0]

    def feed(self, block: bytes, final: bool = False) -> None:
        data = np.concatenate([self._carry, np.frombuffer(block + (b"\n" if final else b""), dtype=np.uint8)])
        if len(data) >= 3:
            prev, cur, nxt = data[:-2], data[1:-1], data[2:]
            thai_p, thai_c, thai_n = _THAI[prev], _THAI[cur], _THAI[nxt]
            lone = thai_c & ~thai_p & ~thai_n
            glued = lone & _THAI_LETTER[cur] & (_LATIN[prev] | _LATIN[nxt]) & (nxt != 0x2E)  # "ต.ค." is Thai
            signs = (glued.astype(np.int8) * 2
                     + (_MARK[cur] & ~(_CONSONANT[prev] | _MARK[prev])) * 2
                     + (_LEADING_VOWEL[cur] & ~_CONSONANT[nxt]) * 2
                     + (_THAI_DIGIT[cur] & _LATIN[prev] & _LATIN[nxt]) * 2
                     + _OBSOLETE[cur] * 2)
            self.runs += int(np.count_nonzero(thai_c & ~thai_p))
            found = np.flatnonzero(signs)
            if found.size:
                self.score += int(signs.sum())
                if self.first is None:
                    self.first = self._base + 1 + int(found[0])
        keep = min(2, len(data))
        self._base += len(data) - keep
        self._carry = data[-keep:]

    @property
    def looks_thai(self) -> bool:
        return self.score == 0 or 2 * self.score < self.runs


def _utf8_share(block: bytes) -> tuple[int, int]:
    """(bytes >= 0x80, those in well-formed UTF-8 sequences) in `block`."""
    data = np.frombuffer(block, dtype=np.uint8)
    size = len(data)
    cont = np.concatenate([(data & 0xC0) == 0x80, np.zeros(3, dtype=bool)])
    valid = np.zeros(size + 3, dtype=bool)
    for length, low, top in ((2, 0xC2, 0xDF), (3, 0xE0, 0xEF), (4, 0xF0, 0xF4)):
        lead = (data >= low) & (data <= top)
        for offset in range(1, length):
            lead &= cont[offset:offset + size]
        for offset in range(length):
            valid[offset:offset + size] |= lead
    return int(np.count_nonzero(data >= 0x80)), int(np.count_nonzero(valid[:size] & (data >= 0x80)))


def _line_of(path: Path, offset: int) -> int:
    """The line (1-based) holding byte `offset` of a file in an ASCII-compatible encoding."""
    line, done = 1, 0
    with open(path, "rb") as handle:
        while done < offset:
            block = handle.read(min(BLOCK_BYTES, offset - done))
            if not block:
                break
            line += block.count(b"\n")
            done += len(block)
    return line


def _word_at(path: Path, offset: int) -> bytes:
    """The bytes of the word (up to a separator, quote or line end) around byte `offset`."""
    start = max(0, offset - 40)
    with open(path, "rb") as handle:
        handle.seek(start)
        window = handle.read(80)
    at = offset - start
    stops = b" ,;\t|\"\r\n"
    left = at
    while left > 0 and window[left - 1] not in stops:
        left -= 1
    right = at
    while right < len(window) and window[right] not in stops:
        right += 1
    return window[left:right]


def _scan(path: Path, encoding: str) -> tuple[int | None, int | None, str]:
    """Decode the whole file with `encoding`: (offset of the first bad byte, of the first NUL, reason)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
            if not encoding.startswith("utf-16") and b"\x00" in block:
                return None, done + block.index(b"\x00"), ""
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return done - pending + exc.start, None, exc.reason
            done += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return done - (exc.end - exc.start), None, exc.reason
    return None, None, ""


def _sniff_encoding(path: Path) -> tuple[str, str]:
    """(Python codec, the name users know) of a CSV file; raises _Refused when it is none we read."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _Refused(f"the file is UTF-32 text, which is not read; {SAVE_AS}")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        label = "UTF-16 LE" if head.startswith(b"\xff\xfe") else "UTF-16 BE"
        bad, _, reason = _scan(path, "utf-16")
        if bad is not None:
            raise _Refused(f"the file starts as {label} text (a byte order mark) but byte {bad:,} is not "
                           f"{label} ({reason}); {SAVE_AS}")
        return "utf-16", label
    if head.startswith(b"PK\x03\x04"):
        raise _Refused("the file is a zipped workbook (.xlsx), not CSV text; name it .xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Refused(f"the file is an old Excel workbook (.xls), not CSV text; {SAVE_AS}")
    bom = head.startswith(b"\xef\xbb\xbf")
    bad, nul, _ = _scan(path, "utf-8")
    if nul is not None:
        with open(path, "rb") as handle:
            sample = handle.read(4096)
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if max(odd, even) * 3 > len(sample):  # every other byte zero: UTF-16 without its mark
            order = "LE" if odd > even else "BE"
            raise _Refused(f"the file looks like UTF-16 {order} text without a byte order mark; {SAVE_AS}")
        raise _Refused(f"line {_line_of(path, nul)} has a NUL byte: this is not a text file", _line_of(path, nul))
    if bad is None:
        return ("utf-8-sig", "UTF-8 with BOM") if bom else ("utf-8", "UTF-8")
    line = _line_of(path, bad)
    with open(path, "rb") as handle:
        handle.seek(bad)
        first_bad = handle.read(1)[0]
    if bom:
        raise _Refused(f"the file starts as UTF-8 (a byte order mark) but line {line} has byte 0x{first_bad:02X}, "
                       f"which is not UTF-8; {SAVE_AS}", line)
    # UTF-8 fails; is it TIS-620, something UTF-8 with a stray byte, or Latin-1?
    score = _ThaiScore()
    high = utf8 = 0
    cp874_bad: int | None = None
    decoder = codecs.getincrementaldecoder("cp874")()
    done = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
            if b"\x00" in block:
                nul = done + block.index(b"\x00")
                raise _Refused(f"line {_line_of(path, nul)} has a NUL byte: this is not a text file", _line_of(path, nul))
            counts = _utf8_share(block)
            high, utf8 = high + counts[0], utf8 + counts[1]
            if cp874_bad is None:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    cp874_bad = done + exc.start
                score.feed(block)
            done += len(block)
    score.feed(b"", final=True)
    if high and utf8 >= 0.9 * high:
        western = _word_at(path, bad).decode("cp1252", errors="replace")
        raise _Refused(f"the file is UTF-8 text except line {line}, which has byte 0x{first_bad:02X} that is "
                       f"not UTF-8 (near {western!r}, perhaps pasted from another file); correct that line, "
                       f"or {SAVE_AS}", line)
    if cp874_bad is not None:
        line = _line_of(path, cp874_bad)
        word = _word_at(path, cp874_bad).decode("cp1252", errors="replace")
        with open(path, "rb") as handle:
            handle.seek(cp874_bad)
            first_bad = handle.read(1)[0]
        raise _Refused(f"the file is neither UTF-8 nor TIS-620 (CP874) text: line {line} has byte "
                       f"0x{first_bad:02X}, which neither has; read as Windows-1252 (Latin-1, Western "
                       f"European) it says {word!r}; {SAVE_AS}", line)
    if not score.looks_thai:
        at = score.first if score.first is not None else bad
        line = _line_of(path, at)
        word = _word_at(path, at)
        raise _Refused(f"the file is not UTF-8, and read as TIS-620 (CP874) line {line} is not Thai "
                       f"({word.decode('cp874', errors='replace')!r}); it looks like Windows-1252 (Latin-1, "
                       f"Western European) text, where it reads {word.decode('cp1252', errors='replace')!r}; "
                       f"{SAVE_AS}", line)
    return "cp874", "TIS-620 (CP874)"


def detect_encoding(path: Path) -> str:
    """The Python codec of a CSV file: utf-8 (no BOM), utf-8-sig (BOM), utf-16 (LE or BE, with
    BOM) or cp874 (TIS-620, only when the text reads as Thai).

    Raises UnicodeDecodeError, its `reason` saying what the file looks like and how to save it,
    when it is none of these.
    """
    try:
        return _sniff_encoding(path)[0]
    except _Refused as exc:
        raise UnicodeDecodeError("utf-8", b"", 0, 1, exc.reason) from None


# ====================================================================== headers


def header_key(text: object) -> str:
    text = unicodedata.normalize("NFC", str(text)).strip().lower().translate(THAI_DIGITS)
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)  # "ค่า (ร้อยละ)" -> "ค่า"
    return re.sub(r"[\s._\-/:]+", "", text)


def _header_score(cells: list[str]) -> int:
    roles = {ROLE_OF.get(header_key(cell)) for cell in cells}
    return len(roles & {"kpi", "period", "value", *AREA_ROLES})


def _find_header(rows: list[list[str]]) -> int:
    """The index of the header row: the first with two known column names (title rows above it),
    else the first with any text."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _header_score(row) >= 2:
            return index
    # no known names: the first row with text (its names are then refused as unknown columns)
    return next((index for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(str(c).strip() for c in row)), 0)


def _choose_delimiter(sample: str) -> str:
    """The separator under which a row of the sample reads as a header (most known names), else
    the most frequent: "1,234.5" in a tab- or semicolon-separated file does not make it comma-separated."""
    def key(delimiter: str) -> tuple[int, int]:
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            return -1, sample.count(delimiter)
        return max((_header_score(row) for row in rows[:HEADER_SEARCH_ROWS]), default=0), sample.count(delimiter)

    return max(",;\t|", key=key)


def _header_of(row: list[str]) -> list[str]:
    """Header names, stripped, without the empty ones after the last name."""
    header = [cell.strip() for cell in row]
    while len(header) > 1 and not header[-1]:
        header.pop()
    return header


def _check_file_size(path: Path) -> int:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _Refused(f"the file has {size:,} bytes; at most {MAX_FILE_BYTES:,} are read: split it into "
                       "smaller files")
    return size


# ====================================================================== CSV


def _csv_error_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {MAX_CELL_CHARS:,} characters"
    if "expected after" in text:
        return ("text after a closing double quote; a double quote inside a quoted cell is written twice "
                "(\"\")")
    if "unexpected end of data" in text:
        return "a double quote opens a cell that is never closed"
    return f"not a readable CSV row: {text}"


def _long_cell(path: Path, encoding: str, delimiter: str, record: int, header: list[str] | None) -> tuple[str, int]:
    """(column, length) of the first over-long cell of CSV record `record` (0-based), read with pandas."""
    try:
        row = pd.read_csv(path, encoding=encoding, sep=delimiter, header=None, skiprows=record, nrows=1,
                          dtype=object, na_filter=False, engine="c", index_col=False)
    except Exception:  # the row cannot be read on its own: name no column
        return "", 0
    for index, text in enumerate(row.iloc[0].tolist() if len(row) else []):
        if len(str(text)) > MAX_CELL_CHARS:
            return _column_name(header, index), len(str(text))
    return "", 0


class _LongLine(Exception):
    pass


def _capped_lines(handle) -> Iterator[str]:
    """The lines of a text file, each read at most MAX_LINE_CHARS at a time (memory stays bounded);
    a longer line breaks a limit whatever it holds."""
    for line in iter(functools.partial(handle.readline, MAX_LINE_CHARS), ""):
        if len(line) == MAX_LINE_CHARS and line[-1] not in "\r\n":
            raise _LongLine
        yield line


class _CsvShape(NamedTuple):
    head: list[list[str]]  # the first records, as text
    header_index: int
    counts: np.ndarray  # cells in every record of the file (0 for a blank line)
    short_lines: bool  # every record is one line of at most MAX_CELL_CHARS bytes: no cell can be too long


def _csv_failure(exc: Exception, path: Path, encoding: str, delimiter: str, record: int,
                 head: list[list[str]]) -> _Refused:
    """The refusal for a csv module error (or an over-long line) at `record` (0-based)."""
    if isinstance(exc, _LongLine):
        return _Refused(f"a line longer than {MAX_LINE_CHARS:,} characters: more than {MAX_COLUMNS:,} cells or "
                        f"cells longer than {MAX_CELL_CHARS:,} characters", record + 1)
    reason, column = _csv_error_reason(exc), ""
    if "field larger" in str(exc):
        header_index = _find_header(head)
        below = bool(head) and record > header_index
        column, length = _long_cell(path, encoding, delimiter, record, _header_of(head[header_index]) if below else None)
        if length:
            reason = f"the cell has {length:,} characters; at most {MAX_CELL_CHARS:,} are read"
    return _Refused(reason, record + 1, column)


def _csv_head(path: Path, encoding: str, delimiter: str) -> tuple[list[list[str]], int]:
    """The first records as text and the index of the header among them, their limits checked."""
    head: list[list[str]] = []
    with open(path, encoding=encoding, newline="") as handle:
        try:
            head.extend(islice(csv.reader(_capped_lines(handle), delimiter=delimiter, strict=True), HEADER_SEARCH_ROWS))
        except (csv.Error, _LongLine) as exc:
            raise _csv_failure(exc, path, encoding, delimiter, len(head), head) from None
    header_index = _find_header(head)
    header = _header_of(head[header_index]) if head else []
    if len(header) > MAX_COLUMNS:
        raise _Refused(f"the header has {len(header):,} columns; at most {MAX_COLUMNS:,} are read", header_index + 1)
    for number, record in enumerate(head, start=1):
        for index, cell in enumerate(record):
            if len(cell) > MAX_CELL_CHARS:
                raise _Refused(f"the cell has {len(cell):,} characters; at most {MAX_CELL_CHARS:,} are read",
                               number, _column_name(header if number > header_index + 1 else None, index))
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
            block = handle.read(BLOCK_BYTES)
            final = not block
            data = np.concatenate([pending, np.frombuffer(block, dtype=np.uint8)])
            size = len(data) if final else len(data) - 1  # the last byte waits for the one after it
            # only the separators, line ends and quotes matter: work on their positions
            body = data[:size]
            at = np.flatnonzero((body == separator) | (body == 10) | (body == 13) | (body == 34))
            kind = data[at]
            after = np.append(data, np.uint8(0))[at + 1]  # the byte after each (0: the end of the file)
            quote = kind == 34
            inside = (np.cumsum(quote) & 1).astype(bool)  # after an odd number of quotes; a quote: it opens
            if quote.any():
                before = np.where(at > 0, data[np.maximum(at - 1, 0)], np.uint8(10))[quote]
                opening, next_ = inside[quote], after[quote]
                field_start = (before == separator) | (before == 10) | (before == 13) | (before == 34)
                cell_end = (next_ == separator) | (next_ == 10) | (next_ == 13) | (next_ == 34) | (next_ == 0)
                if (opening & ~field_start).any() or (~opening & ~cell_end).any():
                    return None
                if final and inside[-1]:
                    return None  # a quote never closed
            outside = ~inside & ~quote
            lf = outside & (kind == 10)
            end_index = np.flatnonzero(lf | (outside & (kind == 13) & (after != 10)))  # indexes into `at`
            ends = at[end_index]
            separators = np.concatenate([[0], np.cumsum(outside & (kind == separator))])
            done_to = int(ends[-1]) + 1 if ends.size else 0
            if final and done_to < size:  # the last record has no line end
                ends, end_index, done_to = np.append(ends, size), np.append(end_index, len(at)), size
            pending = data[done_to:]
            if len(pending) > 4 * MAX_LINE_CHARS:  # bytes: at most 4 to a character
                return None  # a record this long breaks a limit; the csv module names which
            if not ends.size:
                continue
            starts = np.concatenate([[0], ends[:-1] + 1])
            first_index = np.concatenate([[0], end_index[:-1] + 1])
            crlf = (ends < size) & (ends > starts) & (data[np.minimum(ends, len(data) - 1)] == 10) \
                & (data[np.maximum(ends - 1, 0)] == 13)
            lengths = ends - crlf - starts
            cells = separators[end_index] - separators[first_index] + 1
            parts.append(np.where(lengths == 0, 0, cells).astype(np.int32))
            records += len(ends)
            longest = max(longest, int(lengths.max()))
            if longest > 4 * MAX_LINE_CHARS:
                return None
    counts = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return counts[:limit + 1], longest


def _csv_shape(path: Path, encoding: str, delimiter: str) -> _CsvShape:
    """Pass 1: the records' cell counts (and the first records' text), with the limits checked."""
    head, header_index = _csv_head(path, encoding, delimiter)
    limit = header_index + 1 + MAX_ROWS
    fast = None
    if not encoding.startswith("utf-16"):
        fast = _byte_counts(path, delimiter, limit, skip=3 if encoding == "utf-8-sig" else 0)
    if fast is not None and fast[0][:len(head)].tolist() == [len(record) for record in head]:
        counts, longest = fast
        short_lines = longest <= MAX_CELL_CHARS
    else:
        counts, short_lines = _csv_counts(path, encoding, delimiter, limit, head), False
    if len(counts) > limit:
        raise _Refused(f"the file has more than {MAX_ROWS:,} data rows; split it into smaller files", limit + 1)
    too_wide = np.flatnonzero(counts > MAX_COLUMNS)
    if too_wide.size:
        number = int(too_wide[0]) + 1
        raise _Refused(f"{int(counts[too_wide[0]]):,} cells; at most {MAX_COLUMNS:,} columns are read", number)
    return _CsvShape(head, header_index, counts, short_lines)


def _check_counts(chunk: pd.DataFrame, counts: np.ndarray, rows: np.ndarray, width: int, delimiter: str,
                  name: str, errors: list[RowError]) -> None:
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


def _check_lengths(chunk: pd.DataFrame, rows: np.ndarray, header: list[str], name: str,
                   errors: list[RowError]) -> None:
    for index in chunk.columns:
        values = chunk[index].to_numpy()
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        for position in np.flatnonzero(lengths > MAX_CELL_CHARS)[:MAX_STRUCTURE_ERRORS]:
            errors.append(RowError(name, int(rows[position]), _column_name(header, index),
                                   f"the cell has {int(lengths[position]):,} characters; at most "
                                   f"{MAX_CELL_CHARS:,} are read"))


def _has_text(chunk: pd.DataFrame) -> bool:
    """Whether any cell of `chunk` holds more than white space (the first rows with a cell looked at first)."""
    candidates = np.flatnonzero(chunk.astype(bool).to_numpy().any(axis=1))
    for rows in (candidates[:100], candidates[100:]):
        if rows.size and chunk.iloc[rows].apply(lambda column: column.str.strip() != "").to_numpy().any():
            return True
    return False


def read_csv(path: Path, name: str, progress: Progress | None) -> Table:
    try:
        if _check_file_size(path) == 0:
            raise _Refused("the file is empty")
        encoding, label = _sniff_encoding(path)
        with open(path, encoding=encoding, newline="") as handle:
            sample = "".join(handle.readline(SAMPLE_LINE_CHARS) for _ in range(HEADER_SEARCH_ROWS))
        delimiter = _choose_delimiter(sample)
        head, header_index, counts, short_lines = _csv_shape(path, encoding, delimiter)
    except _Refused as problem:
        raise _refuse(name, problem) from None
    if not any(cell.strip() for record in head for cell in record):
        reason = (f"the first {HEADER_SEARCH_ROWS} rows are blank; the header must be in one of them"
                  if counts[len(head):].any() else "the file is empty")
        raise ValueImportError(name, [RowError(name, 1, "", reason)])
    data_counts = counts[header_index + 1:]
    header_row = header_index + 1
    if not data_counts.any():
        raise ValueImportError(name, [RowError(name, header_row, "", "the file has a header but no data rows")])
    header = _header_of(head[header_index])
    width = len(header)
    columns = list(range(max(width, int(data_counts.max()))))
    first_row = header_row + 1
    total = len(data_counts)
    errors: list[RowError] = []
    chunks = []
    done = 0
    has_data = False
    try:
        reader = pd.read_csv(path, encoding=encoding, sep=delimiter, header=None, names=columns,
                             skiprows=header_index + 1, dtype=object, na_filter=False, doublequote=True,
                             skip_blank_lines=False, engine="c", chunksize=CSV_CHUNK_ROWS, index_col=False)
        for chunk in reader:
            chunk_counts = data_counts[done:done + len(chunk)]
            rows = np.arange(first_row + done, first_row + done + len(chunk))
            if len(chunk_counts) != len(chunk):
                break  # the two readers disagree on the rows: refused below
            _check_counts(chunk, chunk_counts, rows, width, delimiter, name, errors)
            if not short_lines:
                _check_lengths(chunk, rows, header, name, errors)
            if len(errors) >= MAX_STRUCTURE_ERRORS:
                raise ValueImportError(name, errors + [RowError(name, int(rows[-1]), "", f"reading stopped after "
                                                                f"{len(errors):,} problems in the file's structure")])
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
    if errors:
        raise ValueImportError(name, errors)
    if done != total:
        raise ValueImportError(name, [RowError(name, header_row, "", f"the rows could not be read consistently "
                                                                     f"({done:,} and {total:,}); {SAVE_AS}")])
    if not has_data:
        raise ValueImportError(name, [RowError(name, header_row, "", "the file has a header but no data rows")])
    cells = pd.concat(chunks, ignore_index=True)
    cells.columns = range(width)
    if progress:
        progress("read", len(cells), len(cells))
    return Table(header, cells, np.arange(first_row, first_row + len(cells)), header_row, label)


# ====================================================================== XLSX


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
        raise _Refused(f"not a readable XLSX file: {exc}") from exc
    for part in parts:
        sheet = part.filename.startswith("xl/worksheets/")
        limit = MAX_XLSX_SHEET_BYTES if sheet else MAX_XLSX_PART_BYTES
        if part.file_size > limit:
            raise _Refused(f"{part.filename} unpacks to {part.file_size:,} bytes; at most {limit:,} are read "
                           f"({'copy the data to a new, smaller sheet' if sheet else 'the file may be damaged'})")


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
                    row, column = coordinate_to_tuple(coordinate) if coordinate else (self.row_counter,
                                                                                        self.col_counter)
                except Exception:
                    raise _Refused(f"the cell reference {coordinate!r} is not valid: the file is damaged",
                                   self.row_counter) from exc
                if data_type in ("n", "b", "d", "e"):  # "NaN", "INF", "abc" in a number cell: keep the text
                    text = element.findtext(VALUE_TAG) or ""
                    return {"row": row, "column": column, "value": text, "data_type": "s", "style_id": 0}
                if data_type == "s":
                    index = element.findtext(VALUE_TAG)
                    raise _Refused(f"the cell refers to shared text {index!r}, which the file does not have: "
                                   "the file is damaged", row, column_letter(column - 1)) from exc
                raise

    workbook = worksheet.parent
    return Parser(worksheet._get_source(), worksheet._shared_strings, data_only=workbook.data_only,
                  epoch=workbook.epoch, date_formats=workbook._date_formats,
                  timedelta_formats=workbook._timedelta_formats)


def _xlsx_rows(worksheet, progress: Progress | None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts up to the last non-empty one) for each row the sheet stores."""
    from openpyxl.cell.read_only import ReadOnlyCell

    percent: dict[int, bool] = {}

    def is_percent(style_id: int) -> bool:
        if style_id not in percent:
            try:
                percent[style_id] = "%" in (ReadOnlyCell(worksheet, 1, 1, 0, "n", style_id).number_format or "")
            except Exception:  # a style the workbook does not have: a plain number
                percent[style_id] = False
        return percent[style_id]

    total = worksheet.max_row or 0
    row_limit = MAX_ROWS + HEADER_SEARCH_ROWS
    parser = _xlsx_parser(worksheet)
    last = 0
    try:
        for number, cells in parser.parse():
            if number <= last:
                raise _Refused(f"row {number} is stored after row {last}: the file is damaged", number)
            if number > row_limit:
                raise _Refused(f"the sheet has more than {MAX_ROWS:,} data rows; split it", number)
            last = number
            texts: dict[int, str] = {}
            for cell in cells:
                value = cell["value"]
                if value is None or value == "":
                    continue
                column = cell["column"]
                if column in texts:
                    raise _Refused(f"two cells are stored at {column_letter(column - 1)}{number}: the file is damaged",
                                   number)
                if column > MAX_COLUMNS:
                    raise _Refused(f"a cell in column {column_letter(column - 1)} ({column:,}); at most "
                                   f"{MAX_COLUMNS:,} columns are read", number, column_letter(column - 1))
                text = _excel_text(value, isinstance(value, (int, float)) and is_percent(cell["style_id"]))
                if len(text) > MAX_CELL_CHARS:
                    raise _Refused(f"the cell has {len(text):,} characters; at most {MAX_CELL_CHARS:,} are read",
                                   number, column_letter(column - 1))
                texts[column] = text
            row = [""] * max(texts, default=0)
            for column, text in texts.items():
                row[column - 1] = text
            yield number, row
            if progress and number % 50_000 == 0:
                progress("read", number, max(total, number))
    except _Refused:
        raise
    except Exception as exc:  # XML that does not parse, a row number that is not one, ...
        reason = str(exc).split("\n")[0] or type(exc).__name__
        row = parser.row_counter if parser.row_counter > last else last + 1  # the row being read
        raise _Refused(f"the sheet cannot be read after row {last}: {reason}; the file is damaged", row) from exc
    finally:
        parser.source.close()


def read_xlsx(path: Path, name: str, sheet: str | None, progress: Progress | None) -> Table:
    from openpyxl import load_workbook

    try:
        _check_file_size(path)
        _check_xlsx_parts(path)
    except _Refused as problem:
        raise _refuse(name, problem) from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValueImportError(name, [RowError(name, 1, "", f"not a readable XLSX file: {exc}")]) from exc
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise ValueImportError(name, [RowError(name, 1, "", f"there is no sheet named {sheet!r}; "
                                                                f"sheets: {', '.join(workbook.sheetnames)}")])
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        if not hasattr(worksheet, "_shared_strings"):  # a chart sheet, not a worksheet
            raise ValueImportError(name, [RowError(name, 1, "", f"sheet {worksheet.title!r} holds no cells")])
        width, height = worksheet.max_column or 0, worksheet.max_row or 0
        if width > MAX_COLUMNS or height > MAX_ROWS + HEADER_SEARCH_ROWS:
            extent = f"{column_letter(worksheet.min_column - 1)}{worksheet.min_row}:{column_letter(width - 1)}{height}"
            raise ValueImportError(name, [RowError(name, 1, "", (
                f"the sheet's used range {extent} reaches column {column_letter(width - 1)} ({width:,}) and row "
                f"{height:,}; at most "
                f"{MAX_COLUMNS:,} columns and {MAX_ROWS:,} data rows are read: delete the unused columns and "
                "rows, or copy the data to a new sheet"))])
        rows: list[tuple[int, list[str]]] = []
        try:
            for number, row in _xlsx_rows(worksheet, progress):
                if row or rows:  # rows above the first non-empty one are no title
                    rows.append((number, row))
        except _Refused as problem:
            raise _refuse(name, problem) from None
    finally:
        workbook.close()
    while rows and not rows[-1][1]:
        rows.pop()
    if not rows:
        raise ValueImportError(name, [RowError(name, 1, "", f"the sheet {worksheet.title!r} is empty")])
    numbers = [number for number, _ in rows]
    texts = [row for _, row in rows]
    header_index = _find_header(texts)
    header = [cell.strip() for cell in texts[header_index]]
    header_row = numbers[header_index]
    body = texts[header_index + 1:]
    if not any(cell.strip() for row in body for cell in row):
        raise ValueImportError(name, [RowError(name, header_row, "", "the sheet has a header but no data rows")])
    width = max(len(header), max(len(row) for row in body))
    header += [""] * (width - len(header))
    cells = pd.DataFrame([row + [""] * (width - len(row)) for row in body], columns=range(width), dtype=object)
    if progress:
        progress("read", numbers[-1], numbers[-1])
    return Table(header, cells, np.array(numbers[header_index + 1:]), header_row)
