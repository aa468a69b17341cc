"""Thai fiscal periods: the year, quarter or month a KPI value covers, and how people write them.

A fiscal year is named by the Buddhist Era (BE) year it ends in: FY 2568 runs from
1 Oct 2024 to 30 Sep 2025 (BE = CE + 543). Quarters and months count from October, so
Q1 is Oct–Dec and month 1 is October. Dates returned here are ordinary CE `datetime.date`s.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
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
THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
EN_MONTHS_SHORT = tuple(calendar.month_abbr[m] for m in range(1, 13))
EN_MONTHS = tuple(calendar.month_name[m] for m in range(1, 13))


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

    # ------------------------------------------------------------------ labels

    @property
    def label_th(self) -> str:
        if self.period_type == "Y":
            return f"ปีงบประมาณ {self.fiscal_year}"
        if self.period_type == "Q":
            return f"ไตรมาส {self.period_no}/{self.fiscal_year}"
        return f"{THAI_MONTHS_SHORT[self.calendar_month - 1]} {self.calendar_year_be}"

    @property
    def fiscal_year_ce(self) -> int:
        """The Common Era year the fiscal year ends in (FY 2569 BE -> 2026): English labels use it."""
        return self.fiscal_year - BE_OFFSET

    @property
    def label_en(self) -> str:
        """English is Common Era throughout: "FY 2026" (Thai FY 2569), "Q1 FY2026", "Oct 2025"."""
        if self.period_type == "Y":
            return f"FY {self.fiscal_year_ce}"
        if self.period_type == "Q":
            return f"Q{self.period_no} FY{self.fiscal_year_ce}"
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
    match = _PARAM.match(str(text)[: MAX_PARAM_LENGTH + 1])
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


class PeriodChoice(NamedTuple):
    """What a view reads for a requested period: `period` (None: the store holds nothing ended),
    `judged_on` (the day freshness is judged on: today on the latest view, None on a past view:
    as of the period's end) and `found` (False: the requested period has no data, the latest
    is read instead)."""

    period: Period | None
    judged_on: dt.date | None
    found: bool


def choose_period(held, requested: Period | None, today: dt.date) -> PeriodChoice:
    """The one rule for "which period" every view follows (pages, wall, ESR, downloads):
    "latest" (None) is the newest held period that has ended by `today`, judged today; a
    requested period is read as its newest held period, judged as of its end; a requested
    period without data gives the latest, with `found` False (pages say so; reports refuse)."""
    latest = newest_held(held, today=today)
    if requested is None:
        return PeriodChoice(latest, today, True)
    within = newest_held(held, within=requested, today=today)
    if within is None:
        return PeriodChoice(latest, today, False)
    return PeriodChoice(within, None, True)


def periods_by_year(held) -> list[Period]:
    """The held periods for a period selector, grouped by fiscal year, newest first: each year
    (offered whenever any period of it is held) followed by its quarters and months, newest first."""
    years = sorted({p.fiscal_year for p in held}, reverse=True)
    out: list[Period] = []
    for year in years:
        out.append(Period.year(year))
        inside = sorted(
            {p for p in held if p.fiscal_year == year and p.period_type != "Y"},
            key=lambda p: (p.end, -p.start.toordinal()),
            reverse=True,
        )
        out.extend(inside)
    return out
