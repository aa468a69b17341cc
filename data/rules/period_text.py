"""Reading the periods people write in files of values: "ไตรมาส 1/2568", "Q1 FY68", "ต.ค. 2567",
"2567-10", an Excel date, a calendar year, with preliminary/revised marks; the years an import
accepts (`YearRules`). How a period is written in a URL is `data.rules.periods`' own."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from data.rules.periods import (
    BE_OFFSET,
    EN_MONTHS,
    EN_MONTHS_SHORT,
    MAX_BE_YEAR,
    MIN_BE_YEAR,
    PERIOD_KIND_EN,
    THAI_DIGITS,
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    Period,
    PeriodType,
)

# month names as written, without dots or spaces, lower case -> calendar month 1..12
_MONTH_NAMES: dict[str, int] = {}
for _number in range(1, 13):
    for _name in (
        THAI_MONTHS[_number - 1],
        THAI_MONTHS_SHORT[_number - 1],
        EN_MONTHS[_number - 1],
        EN_MONTHS_SHORT[_number - 1],
    ):
        _MONTH_NAMES[re.sub(r"[.\s]", "", _name.lower())] = _number
_MONTH_NAMES["sept"] = 9


class ParsedPeriod(NamedTuple):
    """What `parse_period` read: the period and the preliminary ("p") / revised ("r") marks;
    `calendar_year` is the BE calendar year when the text gave one (stored as `period`, the
    fiscal year holding nine of its twelve months: CY 2565 -> FY 2565)."""

    period: Period
    preliminary: bool = False
    revised: bool = False
    calendar_year: int | None = None


@dataclass(frozen=True)
class YearRules:
    """How an import reads years (the general parser accepts more).

    `first`, `last`: the BE years accepted (a CE year counts as its BE year: 1957 = 2500).
    `plain_ce`: what a bare CE year such as 2022 means: "refuse" (ask: fiscal or calendar?),
    "fiscal" or "calendar". `calendar`: bare years (BE too) are calendar years. `serials`:
    five-digit numbers are Excel date serials (never in CSV text, where 25680 is no date)."""

    first: int = 2500
    last: int = 2999
    plain_ce: str = "refuse"
    calendar: bool = False
    serials: bool = False


CALENDAR_RULE_EN = (
    "calendar years are stored as the fiscal year that holds nine of their twelve months: "
    "CY {cy} (Jan-Dec {cy}) -> FY {cy} (Oct {prev}-Sep {cy})"
)


_EXAMPLES = {"Y": "2568", "Q": "Q1/2568", "M": "ต.ค. 2567 or 2567-10"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)

_FLAG = re.compile(r"^(.*\d)\s*[(\[]?\s*([pr])\s*[)\]]?$")
_ERA_BE = re.compile(r"พ\s*\.?\s*ศ\s*\.?|\bb\.?\s?e\b\.?")
_ERA_CE = re.compile(r"ค\s*\.?\s*ศ\s*\.?|\b(?:a\.?\s?d|c\.?\s?e)\b\.?")
_FISCAL_WORDS = re.compile(r"ปีงบประมาณ|ปีงบ\.?|งบประมาณ|fiscal\s*year|(?<![a-z])fy|ปี")
_QUARTER_WORDS = re.compile(r"ไตรมาสที่|ไตรมาส|quarter|qtr")
_MONTH_WORDS = re.compile(r"เดือน|month")

_YEAR_ONLY = re.compile(r"^(\d{4})$")
_QUARTER_FIRST = re.compile(r"^q\s*(\d)\s*[/\-,]?\s*(\d{4}|\d{2})$")
_YEAR_FIRST_QUARTER = re.compile(r"^(\d{4})\s*[/\-]?\s*q\s*(\d)$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/]\s*(\d{1,2})$")  # not ".": 2567.10 may be a number
_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_NAMED_MONTH = re.compile(r"^(?:(\d{1,2})\s*)?([a-z\u0e00-\u0e7f][a-z\u0e00-\u0e7f.\s]*?)\s*[-/,]?\s*(\d{4}|\d{2})$")
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")


_CALENDAR_WORDS = re.compile(r"^\s*(?:cy|ปีปฏิทิน|calendar\s*year|ปี\s*ค\.?\s*ศ\.?\s*ปฏิทิน)\s*(\d{4})\s*$")
_BARE_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def parse_import_period(text: object, expected: PeriodType | None, rules: YearRules) -> ParsedPeriod:
    """`parse_period` under an import's rules: years inside [rules.first, rules.last], no Excel
    serials in text (unless allowed), calendar years (CY2565, ปีปฏิทิน 2565, or bare years with
    `rules.calendar`) stored as the fiscal year that holds nine of their months, and a bare CE
    year refused unless the rules say what it is. Raises ValueError with a reason for the user."""
    raw = "" if text is None else unicodedata.normalize("NFC", str(text)).translate(THAI_DIGITS).strip().lower()
    if not isinstance(text, (dt.date, dt.datetime)) and not rules.serials and _EXCEL_SERIAL.match(raw):
        raise ValueError(
            f"{_shown(text)} is not a period (a five-digit number is no year; write e.g. 2568, Q1/2568 or ต.ค. 2567)"
        )
    flagged = _FLAG.match(raw)
    core = flagged.group(1).strip() if flagged else raw
    marks = (flagged.group(2) == "p", flagged.group(2) == "r") if flagged else (False, False)
    calendar = _CALENDAR_WORDS.match(core)
    bare = _BARE_YEAR.match(core)
    if calendar or (bare and (rules.calendar or (int(bare.group(1)) < MIN_BE_YEAR and rules.plain_ce == "calendar"))):
        number = int((calendar or bare).group(1))
        year_be = number + BE_OFFSET if number < MIN_BE_YEAR else number
        _check_year_window(year_be, text, rules)
        period = Period.year(year_be)
        if expected is not None and expected != "Y":
            raise ValueError(
                f"{_shown(text)} is a calendar year, but a {PERIOD_KIND_EN[expected]} is needed "
                f"(write e.g. {_EXAMPLES[expected]})"
            )
        return ParsedPeriod(period, *marks, calendar_year=year_be)
    if bare and int(bare.group(1)) < MIN_BE_YEAR and rules.plain_ce == "refuse":
        number = int(bare.group(1))
        if not rules.first <= number + BE_OFFSET <= rules.last:
            raise ValueError(
                f"{_shown(text)} is neither a BE year ({rules.first}-{rules.last}) nor a CE year "
                f"({rules.first - BE_OFFSET}-{rules.last - BE_OFFSET})"
            )
        raise ValueError(
            f"{_shown(text)} is a Christian-era year: is it a fiscal year (write FY{number} or "
            f"{number + BE_OFFSET}) or a calendar year (write CY{number}, or import with "
            "--years calendar)?"
        )
    parsed = parse_period(text, expected)
    _check_year_window(parsed.period.fiscal_year, text, rules)
    return parsed


def _check_year_window(year_be: int, text: object, rules: YearRules) -> None:
    if not rules.first <= year_be <= rules.last:
        raise ValueError(
            f"{_shown(text)}: fiscal year {year_be} is outside the years accepted, "
            f"{rules.first}-{rules.last} BE ({rules.first - BE_OFFSET}-{rules.last - BE_OFFSET} CE)"
            + ("; a CE year read as BE?" if year_be > rules.last else "")
        )


def parse_period(text: object, expected: PeriodType | None = None) -> ParsedPeriod:
    """Read a period as people write it in Thai or English, in BE or CE, with Thai digits.

    Accepts fiscal years ("2568", "ปีงบประมาณ 2568", "FY 2025"), quarters ("Q1/2568",
    "2568Q1", "ไตรมาส ๑/๒๕๖๘"), calendar months ("2567-10", "2024-10", "ต.ค. 67",
    "October 2024"), dates (ISO, d/m/yyyy, Excel date cells or serials: the month they fall
    in), each with an optional trailing "p" (preliminary) or "r" (revised).
    Calendar months become fiscal months (Oct 2567 -> FY 2568 month 1).

    Raises ValueError with a short reason fit to show a user; when `expected` is given, a
    period of another type is an error too.
    """
    parsed = _parse(text)
    if expected is not None and parsed.period.period_type != expected:
        got = PERIOD_KIND_EN[parsed.period.period_type]
        raise ValueError(
            f"{_shown(text)} is a {got}, but a {PERIOD_KIND_EN[expected]} is needed (write e.g. {_EXAMPLES[expected]})"
        )
    return parsed


def _shown(text: object) -> str:
    return repr(str(text).strip())


def _parse(text: object) -> ParsedPeriod:
    if text is None or (not isinstance(text, str) and text != text):  # None, NaN, NaT
        raise ValueError("no period given")
    if isinstance(text, dt.datetime):  # pandas Timestamp is a datetime too
        return ParsedPeriod(Period.containing(text.date()))
    if isinstance(text, dt.date):
        return ParsedPeriod(Period.containing(text))
    if isinstance(text, float):
        if text != text or not text.is_integer():
            raise ValueError(f"{_shown(text)} is not a period")
        text = int(text)
    raw = str(text)
    value = unicodedata.normalize("NFC", raw).translate(THAI_DIGITS).strip().lower()
    value = re.sub(r"[\u2010-\u2015\u2212]", "-", value)
    value = re.sub(r"\s+", " ", value)
    if not value:
        raise ValueError("no period given")
    value = re.sub(r"^(\d+)\.0+$", r"\1", value)  # a year stored as a float in a spreadsheet

    preliminary = revised = False
    flagged = _FLAG.match(value)
    if flagged:
        value = flagged.group(1).strip()
        preliminary, revised = flagged.group(2) == "p", flagged.group(2) == "r"

    period = _read_period(value, raw)
    return ParsedPeriod(period, preliminary, revised)


def _read_period(value: str, raw: str) -> Period:
    thai = bool(re.search(r"[\u0e00-\u0e7f]", raw))
    era: str | None = None
    if _ERA_BE.search(value):
        era, value = "BE", _ERA_BE.sub(" ", value)
    elif _ERA_CE.search(value):
        era, value = "CE", _ERA_CE.sub(" ", value)
    value = _QUARTER_WORDS.sub(" q", value)
    value = _MONTH_WORDS.sub(" ", value)
    value = _FISCAL_WORDS.sub(" ", value)
    value = re.sub(r"\s+", " ", value).strip(" ,:")

    def year(digits: str, english_month: bool = False) -> int:
        return _be_year(digits, era, thai=thai and not english_month, named=thai or english_month, raw=raw)

    if match := _YEAR_ONLY.match(value):
        return Period.year(year(match.group(1)))
    if match := (_QUARTER_FIRST.match(value) or _YEAR_FIRST_QUARTER.match(value)):
        number, digits = match.groups() if value.startswith("q") else match.groups()[::-1]
        if not 1 <= int(number) <= 4:
            raise ValueError(f"{_shown(raw)}: a quarter is numbered 1 to 4")
        return Period.quarter(year(digits), int(number))
    if match := _ISO_DATE.match(value):
        return _calendar(year(match.group(1)), int(match.group(2)), raw, day=int(match.group(3)))
    if match := _YEAR_MONTH.match(value):
        return _calendar(year(match.group(1)), int(match.group(2)), raw)
    if match := _MONTH_YEAR.match(value):
        return _calendar(year(match.group(2)), int(match.group(1)), raw)
    if match := _DAY_MONTH_YEAR.match(value):
        return _calendar(year(match.group(3)), int(match.group(2)), raw, day=int(match.group(1)))
    if match := _NAMED_MONTH.match(value):
        name = re.sub(r"[.\s]", "", match.group(2))
        month = _MONTH_NAMES.get(name)
        if month is None:
            raise ValueError(f"{_shown(raw)}: {match.group(2).strip()!r} is not a month name")
        english = name.isascii()
        day = int(match.group(1)) if match.group(1) else None
        return _calendar(year(match.group(3), english_month=english), month, raw, day=day)
    if match := _EXCEL_SERIAL.match(value):
        return Period.containing(_EXCEL_EPOCH + dt.timedelta(days=int(match.group(1))))
    raise ValueError(f"cannot read {_shown(raw)} as a period; write e.g. 2568, Q1/2568 or ต.ค. 2567")


def _be_year(digits: str, era: str | None, thai: bool, named: bool, raw: str) -> int:
    """A BE year from 4 digits (below 2400 means CE) or 2 digits (after a month name)."""
    number = int(digits)
    if len(digits) == 2:
        if not named and era is None:
            raise ValueError(f"{_shown(raw)}: write the year with 4 digits")
        be_year = 2500 + number if (era == "BE" or (era is None and thai)) else 2000 + number + BE_OFFSET
    elif era == "CE" or (era is None and number < MIN_BE_YEAR):
        be_year = number + BE_OFFSET
    else:
        be_year = number
    if not MIN_BE_YEAR <= be_year <= MAX_BE_YEAR:
        raise ValueError(f"{_shown(raw)}: {number} is not a plausible year")
    return be_year


def _calendar(year_be: int, month: int, raw: str, day: int | None = None) -> Period:
    if not 1 <= month <= 12:
        raise ValueError(f"{_shown(raw)}: there is no month {month}")
    if day is not None:
        try:
            dt.date(year_be - BE_OFFSET, month, day)
        except ValueError:
            raise ValueError(f"{_shown(raw)}: there is no such date") from None
    return Period.from_calendar_month(year_be, month)
