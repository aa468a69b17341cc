"""The text encoding of a CSV file: which one it is, or why it is none we read.

UTF-8 with or without BOM, UTF-16 LE or BE with BOM and TIS-620/CP874 are read. CP874 gives a
character to almost any byte, so it is accepted only when the text reads as Thai (`ThaiScore`);
Latin-1/Windows-1252 text and UTF-8 with a stray byte are refused, naming what they look like.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import NamedTuple

import numpy as np

from data.files import limits
from data.files.tables import SAVE_AS, Refused


def _byte_table(*ranges: tuple[int, int]) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    for low, high in ranges:
        table[low : high + 1] = True
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


class ThaiScore:
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
            signs = (
                glued.astype(np.int8) * 2
                + (_MARK[cur] & ~(_CONSONANT[prev] | _MARK[prev])) * 2
                + (_LEADING_VOWEL[cur] & ~_CONSONANT[nxt]) * 2
                + (_THAI_DIGIT[cur] & _LATIN[prev] & _LATIN[nxt]) * 2
                + _OBSOLETE[cur] * 2
            )
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
            lead &= cont[offset : offset + size]
        for offset in range(length):
            valid[offset : offset + size] |= lead
    return int(np.count_nonzero(data >= 0x80)), int(np.count_nonzero(valid[:size] & (data >= 0x80)))


def _line_of(path: Path, offset: int) -> int:
    """The line (1-based) holding byte `offset` of a file in an ASCII-compatible encoding."""
    line, done = 1, 0
    with open(path, "rb") as handle:
        while done < offset:
            block = handle.read(min(limits.BLOCK_BYTES, offset - done))
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
    stops = b' ,;\t|"\r\n'
    left = at
    while left > 0 and window[left - 1] not in stops:
        left -= 1
    right = at
    while right < len(window) and window[right] not in stops:
        right += 1
    return window[left:right]


def _byte_at(path: Path, offset: int) -> int:
    """The byte at `offset` of a file."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(1)[0]


def _scan(path: Path, encoding: str) -> tuple[int | None, int | None, str]:
    """Decode the whole file with `encoding`: (offset of the first bad byte, of the first NUL, reason)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(limits.BLOCK_BYTES), b""):
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


def _nul_byte(path: Path, nul: int) -> Refused:
    """The refusal of a file with a NUL byte at `nul`: no text file."""
    return Refused(f"line {_line_of(path, nul)} has a NUL byte: this is not a text file", _line_of(path, nul))


def _marked_encoding(path: Path, head: bytes) -> tuple[str, str] | None:
    """(codec, name) of a UTF-16 file by its byte order mark, None for a file without one of the
    marks looked at first; refuses UTF-32 text and workbooks named as CSV."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise Refused(f"the file is UTF-32 text, which is not read; {SAVE_AS}")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        label = "UTF-16 LE" if head.startswith(b"\xff\xfe") else "UTF-16 BE"
        bad, _, reason = _scan(path, "utf-16")
        if bad is not None:
            raise Refused(
                f"the file starts as {label} text (a byte order mark) but byte {bad:,} is not "
                f"{label} ({reason}); {SAVE_AS}"
            )
        return "utf-16", label
    if head.startswith(b"PK\x03\x04"):
        raise Refused("the file is a zipped workbook (.xlsx), not CSV text; name it .xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused(f"the file is an old Excel workbook (.xls), not CSV text; {SAVE_AS}")
    return None


def _with_nul(path: Path, nul: int) -> Refused:
    """The refusal of a file with a NUL byte: UTF-16 without its mark, or no text at all."""
    with open(path, "rb") as handle:
        sample = handle.read(4096)
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if max(odd, even) * 3 > len(sample):  # every other byte zero: UTF-16 without its mark
        order = "LE" if odd > even else "BE"
        return Refused(f"the file looks like UTF-16 {order} text without a byte order mark; {SAVE_AS}")
    return _nul_byte(path, nul)


class _Cp874Reading(NamedTuple):
    """The whole file read as CP874: how Thai it looks, how much of it is UTF-8, its first bad byte."""

    score: ThaiScore
    high: int  # bytes >= 0x80
    utf8: int  # those in well-formed UTF-8 sequences
    bad: int | None  # offset of the first byte CP874 does not have


def _read_as_cp874(path: Path) -> _Cp874Reading:
    """Read the whole file as CP874, block by block; refuses a NUL byte."""
    score = ThaiScore()
    high = utf8 = 0
    cp874_bad: int | None = None
    decoder = codecs.getincrementaldecoder("cp874")()
    done = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(limits.BLOCK_BYTES), b""):
            if b"\x00" in block:
                raise _nul_byte(path, done + block.index(b"\x00"))
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
    return _Cp874Reading(score, high, utf8, cp874_bad)


def _not_utf8(path: Path, bad: int, bom: bool) -> tuple[str, str]:
    """(codec, name) of a file that is not UTF-8 from byte `bad` on: TIS-620 when it reads as Thai;
    refuses UTF-8 with a stray byte and text that looks like Windows-1252."""
    line = _line_of(path, bad)
    first_bad = _byte_at(path, bad)
    if bom:
        raise Refused(
            f"the file starts as UTF-8 (a byte order mark) but line {line} has byte 0x{first_bad:02X}, "
            f"which is not UTF-8; {SAVE_AS}",
            line,
        )
    # UTF-8 fails; is it TIS-620, something UTF-8 with a stray byte, or Latin-1?
    reading = _read_as_cp874(path)
    if reading.high and reading.utf8 >= 0.9 * reading.high:
        western = _word_at(path, bad).decode("cp1252", errors="replace")
        raise Refused(
            f"the file is UTF-8 text except line {line}, which has byte 0x{first_bad:02X} that is "
            f"not UTF-8 (near {western!r}, perhaps pasted from another file); correct that line, "
            f"or {SAVE_AS}",
            line,
        )
    if reading.bad is not None:
        line = _line_of(path, reading.bad)
        word = _word_at(path, reading.bad).decode("cp1252", errors="replace")
        raise Refused(
            f"the file is neither UTF-8 nor TIS-620 (CP874) text: line {line} has byte "
            f"0x{_byte_at(path, reading.bad):02X}, which neither has; read as Windows-1252 (Latin-1, "
            f"Western European) it says {word!r}; {SAVE_AS}",
            line,
        )
    if not reading.score.looks_thai:
        at = reading.score.first if reading.score.first is not None else bad
        line = _line_of(path, at)
        word = _word_at(path, at)
        raise Refused(
            f"the file is not UTF-8, and read as TIS-620 (CP874) line {line} is not Thai "
            f"({word.decode('cp874', errors='replace')!r}); it looks like Windows-1252 (Latin-1, "
            f"Western European) text, where it reads {word.decode('cp1252', errors='replace')!r}; "
            f"{SAVE_AS}",
            line,
        )
    return "cp874", "TIS-620 (CP874)"


def sniff_encoding(path: Path) -> tuple[str, str]:
    """(Python codec, the name users know) of a CSV file; raises Refused when it is none we read."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    marked = _marked_encoding(path, head)
    if marked is not None:
        return marked
    bom = head.startswith(b"\xef\xbb\xbf")
    bad, nul, _ = _scan(path, "utf-8")
    if nul is not None:
        raise _with_nul(path, nul)
    if bad is None:
        return ("utf-8-sig", "UTF-8 with BOM") if bom else ("utf-8", "UTF-8")
    return _not_utf8(path, bad, bom)


def detect_encoding(path: Path) -> str:
    """The Python codec of a CSV file: utf-8 (no BOM), utf-8-sig (BOM), utf-16 (LE or BE, with
    BOM) or cp874 (TIS-620, only when the text reads as Thai).

    Raises UnicodeDecodeError, its `reason` saying what the file looks like and how to save it,
    when it is none of these.
    """
    try:
        return sniff_encoding(path)[0]
    except Refused as exc:
        raise UnicodeDecodeError("utf-8", b"", 0, 1, exc.reason) from None
