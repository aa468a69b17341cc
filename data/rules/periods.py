"""Thai fiscal periods: the year, quarter or month a KPI value covers, and how people write them.

A fiscal year is named by the Buddhist Era (BE) year it ends in: FY 2568 runs from
1 Oct 2024 to 30 Sep 2025 (BE = CE + 543). Quarters and months count from October, so
Q1 is Oct–Dec and month 1 is October. Dates returned here are ordinary CE `datetime.date`s.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import total_ordering
from typing import Literal, NamedTuple

PeriodType = Literal["Y", "Q", "M"]
PERIOD_TYPES: tuple[PeriodType, ...] = ("Y", "Q", "M")
PERIOD_KIND_EN = {"Y": "fiscal year", "Q": "quarter", "M": "month"}
BE_OFFSET = 543
# Thailand keeps UTC+7 all year (no daylight saving). "Today" and every time shown are Thai time,
# whatever time zone the server runs in: a store on a UTC cloud host must not show yesterday's
# date to a governor's office between 00:00 and 07:00.
THAI_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")


def thai_now() -> dt.datetime:
    """The time now in Thailand (aware)."""
    return dt.datetime.now(THAI_TIME)


def thai_today() -> dt.date:
    """Today's date in Thailand."""
    return thai_now().date()
MIN_BE_YEAR, MAX_BE_YEAR = 2400, 2999

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
LATEST = "latest"  # ?period=latest, or no period: as of today
PERIOD_TYPE_CODES = {"year": "Y", "quarter": "Q", "month": "M"}  # a catalog period type → its one-letter code
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                     "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
EN_MONTHS_SHORT = tuple(calendar.month_abbr[m] for m in range(1, 13))
EN_MONTHS = tuple(calendar.month_name[m] for m in range(1, 13))

# month names as written, without dots or spaces, lower case -> calendar month 1..12
_MONTH_NAMES: dict[str, int] = {}
for _number in range(1, 13):
    for _name in (THAI_MONTHS[_number - 1], THAI_MONTHS_SHORT[_number - 1],
                  EN_MONTHS[_number - 1], EN_MONTHS_SHORT[_number - 1]):
        _MONTH_NAMES[re.sub(r"[.\s]", "", _name.lower())] = _number
_MONTH_NAMES["sept"] = 9


def calendar_month_of(period_no: int) -> int:
    """The calendar month (1..12) of fiscal month `period_no` (1 = October)."""
    return (period_no + 8) % 12 + 1


def fiscal_month_of(calendar_month: int) -> int:
    """The fiscal month number (1 = October) of a calendar month (1..12)."""
    return (calendar_month + 2) % 12 + 1


@total_ordering
@dataclass(frozen=True)
class Period:
    """A fiscal year ("Y", period_no 0), quarter ("Q", 1..4) or month ("M", 1..12 from October).

    Periods order by start date, and a longer period after the shorter ones it starts with
    (Oct 2567 < Q1/2568 < FY 2568).
    """

    period_type: PeriodType
    fiscal_year: int
    period_no: int = 0

    def __post_init__(self) -> None:
        if self.period_type not in PERIOD_TYPES:
            raise ValueError(f"period type must be Y, Q or M, not {self.period_type!r}")
        if not MIN_BE_YEAR <= self.fiscal_year <= MAX_BE_YEAR:
            raise ValueError(f"fiscal year {self.fiscal_year} is not a Buddhist Era year")
        highest = {"Y": 0, "Q": 4, "M": 12}[self.period_type]
        lowest = 0 if self.period_type == "Y" else 1
        if not lowest <= self.period_no <= highest:
            raise ValueError(f"a {PERIOD_KIND_EN[self.period_type]} cannot have number {self.period_no}")

    # ------------------------------------------------------------------ construction

    @classmethod
    def year(cls, fiscal_year: int) -> Period:
        return cls("Y", fiscal_year, 0)

    @classmethod
    def quarter(cls, fiscal_year: int, quarter: int) -> Period:
        return cls("Q", fiscal_year, quarter)

    @classmethod
    def month(cls, fiscal_year: int, period_no: int) -> Period:
        return cls("M", fiscal_year, period_no)

    @classmethod
    def from_calendar_month(cls, year_be: int, month: int) -> Period:
        """The fiscal month of a calendar month given with its BE year (Oct 2567 -> FY 2568 month 1)."""
        if not 1 <= month <= 12:
            raise ValueError(f"there is no month {month}")
        return cls("M", year_be + 1 if month >= 10 else year_be, fiscal_month_of(month))

    @classmethod
    def containing(cls, day: dt.date, period_type: PeriodType = "M") -> Period:
        """The period of `period_type` that contains the CE date `day`."""
        month = cls.from_calendar_month(day.year + BE_OFFSET, day.month)
        if period_type == "M":
            return month
        if period_type == "Q":
            return cls("Q", month.fiscal_year, (month.period_no + 2) // 3)
        return cls("Y", month.fiscal_year, 0)

    # ------------------------------------------------------------------ dates

    @property
    def start(self) -> dt.date:
        """The first day (CE)."""
        first_month = {"Y": 1, "Q": 3 * self.period_no - 2, "M": self.period_no}[self.period_type]
        return _fiscal_month_start(self.fiscal_year, first_month)

    @property
    def end(self) -> dt.date:
        """The last day (CE), inclusive."""
        last_month = {"Y": 12, "Q": 3 * self.period_no, "M": self.period_no}[self.period_type]
        first = _fiscal_month_start(self.fiscal_year, last_month)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])

    def contains(self, other: Period | dt.date) -> bool:
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end

    @property
    def calendar_month(self) -> int:
        """The calendar month (1..12) of a month period."""
        self._require_month()
        return calendar_month_of(self.period_no)

    @property
    def calendar_year_be(self) -> int:
        """The BE calendar year a month period falls in (Oct of FY 2568 is in 2567)."""
        self._require_month()
        return self.fiscal_year - 1 if self.period_no <= 3 else self.fiscal_year

    # ------------------------------------------------------------------ navigation

    def previous(self) -> Period:
        """The period just before, of the same type (Q1/2568 -> Q4/2567)."""
        if self.period_no <= 1:
            return Period(self.period_type, self.fiscal_year - 1, {"Y": 0, "Q": 4, "M": 12}[self.period_type])
        return Period(self.period_type, self.fiscal_year, self.period_no - 1)

    def next(self) -> Period:
        """The period just after, of the same type (Q4/2567 -> Q1/2568)."""
        last = {"Y": 0, "Q": 4, "M": 12}[self.period_type]
        if self.period_no == last:
            return Period(self.period_type, self.fiscal_year + 1, 0 if self.period_type == "Y" else 1)
        return Period(self.period_type, self.fiscal_year, self.period_no + 1)

    def year_earlier(self) -> Period:
        """The same period one fiscal year earlier (for year-on-year comparison)."""
        return Period(self.period_type, self.fiscal_year - 1, self.period_no)

    def fiscal_year_period(self) -> Period:
        return Period("Y", self.fiscal_year, 0)

    # ------------------------------------------------------------------ labels

    @property
    def label_th(self) -> str:
        if self.period_type == "Y":
            return f"ปีงบประมาณ {self.fiscal_year}"
        if self.period_type == "Q":
            return f"ไตรมาส {self.period_no}/{self.fiscal_year}"
        return f"{THAI_MONTHS_SHORT[self.calendar_month - 1]} {self.calendar_year_be}"

    @property
    def label_en(self) -> str:
        if self.period_type == "Y":
            return f"FY {self.fiscal_year}"
        if self.period_type == "Q":
            return f"Q{self.period_no} FY{self.fiscal_year}"
        return f"{EN_MONTHS_SHORT[self.calendar_month - 1]} {self.calendar_year_be - BE_OFFSET}"

    def label(self, language: str = "th") -> str:
        return self.label_en if language == "en" else self.label_th

    def __str__(self) -> str:
        return self.label_en

    # ------------------------------------------------------------------ ordering

    def _sort_key(self) -> tuple[dt.date, dt.date]:
        return (self.start, self.end)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def _require_month(self) -> None:
        if self.period_type != "M":
            raise ValueError(f"{self.label_en} is not a month")


def _fiscal_month_start(fiscal_year: int, period_no: int) -> dt.date:
    month = calendar_month_of(period_no)
    year_ce = fiscal_year - BE_OFFSET - (1 if month >= 10 else 0)
    return dt.date(year_ce, month, 1)


def fiscal_year_of(day: dt.date) -> int:
    """The BE fiscal year that contains the CE date `day` (30 Sep 2025 -> 2568, 1 Oct 2025 -> 2569)."""
    return Period.containing(day, "Y").fiscal_year


# ====================================================================== URL form

_PARAM = re.compile(r"^\s*(\d{4})\s*(?:([QqMm])\s*(\d{1,2}))?\s*$")
MAX_PARAM_LENGTH = 40  # longer text is not a period, and is not echoed back whole


def parse_period_param(text: str | None) -> Period | None:
    """The period of a URL value: `2569` (fiscal year), `2569Q4` (quarter) or `2569M01` (fiscal
    month, 1 = October); None when absent. Raises ValueError for anything else."""
    if text is None or not str(text).strip():
        return None
    match = _PARAM.match(str(text)[:MAX_PARAM_LENGTH + 1])
    if not match or len(str(text)) > MAX_PARAM_LENGTH:
        raise ValueError("not a fiscal year (2569), quarter (2569Q4) or month (2569M01)")
    year, kind, number = int(match.group(1)), (match.group(2) or "").upper(), match.group(3)
    if kind == "Q":
        return Period.quarter(year, int(number))
    if kind == "M":
        return Period.month(year, int(number))
    return Period.year(year)


def period_param(period: Period | None) -> str | None:
    """The URL form of a period ("2569", "2569Q4", "2569M01"), or None for "latest"."""
    if period is None:
        return None
    if period.period_type == "Y":
        return str(period.fiscal_year)
    return f"{period.fiscal_year}{period.period_type}{period.period_no:0{2 if period.period_type == 'M' else 1}d}"


def newest_held(held, within: Period | None = None, today: dt.date | None = None) -> Period | None:
    """The newest of the `held` periods (by end date; of those ending the same day the longest, so
    a fiscal year rather than its last quarter or month) that lies inside `within` (anything when None) and has ended
    by `today` (when given): the period a view reads when `within` is chosen. None if none."""
    candidates = [p for p in held if (within is None or within.contains(p)) and (today is None or p.end <= today)]
    return max(candidates, key=lambda p: (p.end, -p.start.toordinal())) if candidates else None


def periods_by_year(held) -> list[Period]:
    """The held periods for a period selector, grouped by fiscal year, newest first: each year
    (offered whenever any period of it is held) followed by its quarters and months, newest first."""
    years = sorted({p.fiscal_year for p in held}, reverse=True)
    out: list[Period] = []
    for year in years:
        out.append(Period.year(year))
        inside = sorted({p for p in held if p.fiscal_year == year and p.period_type != "Y"},
                        key=lambda p: (p.end, -p.start.toordinal()), reverse=True)
        out.extend(inside)
    return out


# ====================================================================== parsing


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


CALENDAR_RULE_EN = ("calendar years are stored as the fiscal year that holds nine of their twelve months: "
                    "CY {cy} (Jan-Dec {cy}) -> FY {cy} (Oct {prev}-Sep {cy})")


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
        raise ValueError(f"{_shown(text)} is not a period (a five-digit number is no year; "
                         "write e.g. 2568, Q1/2568 or ต.ค. 2567)")
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
            raise ValueError(f"{_shown(text)} is a calendar year, but a {PERIOD_KIND_EN[expected]} is needed "
                             f"(write e.g. {_EXAMPLES[expected]})")
        return ParsedPeriod(period, *marks, calendar_year=year_be)
    if bare and int(bare.group(1)) < MIN_BE_YEAR and rules.plain_ce == "refuse":
        number = int(bare.group(1))
        if not rules.first <= number + BE_OFFSET <= rules.last:
            raise ValueError(f"{_shown(text)} is neither a BE year ({rules.first}-{rules.last}) nor a CE year "
                             f"({rules.first - BE_OFFSET}-{rules.last - BE_OFFSET})")
        raise ValueError(f"{_shown(text)} is a Christian-era year: is it a fiscal year (write FY{number} or "
                         f"{number + BE_OFFSET}) or a calendar year (write CY{number}, or import with "
                         "--years calendar)?")
    parsed = parse_period(text, expected)
    _check_year_window(parsed.period.fiscal_year, text, rules)
    return parsed


def _check_year_window(year_be: int, text: object, rules: YearRules) -> None:
    if not rules.first <= year_be <= rules.last:
        raise ValueError(f"{_shown(text)}: fiscal year {year_be} is outside the years accepted, "
                         f"{rules.first}-{rules.last} BE ({rules.first - BE_OFFSET}-{rules.last - BE_OFFSET} CE)"
                         + ("; a CE year read as BE?" if year_be > rules.last else ""))


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
            f"{_shown(text)} is a {got}, but a {PERIOD_KIND_EN[expected]} is needed "
            f"(write e.g. {_EXAMPLES[expected]})"
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
    raise ValueError(
        f"cannot read {_shown(raw)} as a period; write e.g. 2568, Q1/2568 or ต.ค. 2567"
    )


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
