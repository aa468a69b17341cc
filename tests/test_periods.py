"""Fiscal periods (`data.rules.periods`): dates, navigation, labels and parsing what people write.

Expected values are worked out by hand: FY 2568 = 1 Oct 2024 – 30 Sep 2025 (BE = CE + 543),
Q1 = Oct–Dec, month 1 = October. A calendar month in BE year 2567 from October on belongs
to FY 2568.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data.rules.period_text import parse_period
from data.rules.periods import Period, fiscal_year_of

D = dt.date
Y = Period.year
Q = Period.quarter
M = Period.month


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "period, start, end",
    [
        (Y(2568), D(2024, 10, 1), D(2025, 9, 30)),
        (Y(2569), D(2025, 10, 1), D(2026, 9, 30)),
        (Q(2568, 1), D(2024, 10, 1), D(2024, 12, 31)),
        (Q(2568, 2), D(2025, 1, 1), D(2025, 3, 31)),
        (Q(2568, 3), D(2025, 4, 1), D(2025, 6, 30)),
        (Q(2568, 4), D(2025, 7, 1), D(2025, 9, 30)),
        (M(2568, 1), D(2024, 10, 1), D(2024, 10, 31)),
        (M(2568, 3), D(2024, 12, 1), D(2024, 12, 31)),
        (M(2568, 4), D(2025, 1, 1), D(2025, 1, 31)),
        (M(2568, 5), D(2025, 2, 1), D(2025, 2, 28)),
        (M(2567, 5), D(2024, 2, 1), D(2024, 2, 29)),  # 2024 is a leap year
        (M(2568, 12), D(2025, 9, 1), D(2025, 9, 30)),
    ],
)
def test_per001_start_and_end(period, start, end):
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "day, fiscal_year, month_no, quarter_no",
    [
        (D(2025, 9, 30), 2568, 12, 4),  # 30 Sep 2568 BE: last day of FY 2568
        (D(2025, 10, 1), 2569, 1, 1),  # 1 Oct 2568 BE: first day of FY 2569
        (D(2024, 10, 1), 2568, 1, 1),
        (D(2024, 12, 31), 2568, 3, 1),
        (D(2025, 1, 1), 2568, 4, 2),
        (D(2025, 6, 30), 2568, 9, 3),
        (D(2025, 7, 1), 2568, 10, 4),
    ],
)
def test_per002_fiscal_year_boundary(day, fiscal_year, month_no, quarter_no):
    assert fiscal_year_of(day) == fiscal_year
    assert Period.containing(day, "Y") == Y(fiscal_year)
    assert Period.containing(day, "Q") == Q(fiscal_year, quarter_no)
    assert Period.containing(day) == M(fiscal_year, month_no)
    assert Period.containing(day, "Y").contains(day)
    assert not Y(fiscal_year).contains(D(2030, 1, 1))


def test_per003_calendar_month_conversion():
    assert Period.from_calendar_month(2567, 10) == M(2568, 1)
    assert Period.from_calendar_month(2567, 12) == M(2568, 3)
    assert Period.from_calendar_month(2568, 1) == M(2568, 4)
    assert Period.from_calendar_month(2568, 9) == M(2568, 12)
    assert (M(2568, 1).calendar_month, M(2568, 1).calendar_year_be) == (10, 2567)
    assert (M(2568, 4).calendar_month, M(2568, 4).calendar_year_be) == (1, 2568)


# --------------------------------------------------------------------------- navigation, ordering


@pytest.mark.parametrize(
    "period, previous, following",
    [
        (Y(2568), Y(2567), Y(2569)),
        (Q(2568, 1), Q(2567, 4), Q(2568, 2)),
        (Q(2568, 4), Q(2568, 3), Q(2569, 1)),
        (M(2568, 1), M(2567, 12), M(2568, 2)),
        (M(2568, 12), M(2568, 11), M(2569, 1)),
    ],
)
def test_per004_previous_and_next(period, previous, following):
    assert period.previous() == previous
    assert period.next() == following
    assert period.previous().next() == period


@pytest.mark.parametrize(
    "period, earlier",
    [
        (Y(2568), Y(2567)),
        (Q(2568, 2), Q(2567, 2)),
        (M(2568, 7), M(2567, 7)),
    ],
)
def test_per005_same_period_a_year_earlier(period, earlier):
    assert period.year_earlier() == earlier
    assert period.year_earlier().start.replace(year=period.start.year) == period.start


def test_per006_ordering():
    shuffled = [Y(2568), M(2568, 2), Q(2567, 4), Q(2568, 1), M(2568, 1), Y(2567), M(2567, 12)]
    assert sorted(shuffled) == [Y(2567), Q(2567, 4), M(2567, 12), M(2568, 1), Q(2568, 1), Y(2568), M(2568, 2)]
    assert M(2568, 1) < Q(2568, 1) < Y(2568)
    assert max([Q(2568, 1), Q(2567, 4), Q(2568, 3)]) == Q(2568, 3)
    assert len({Q(2568, 1), Period("Q", 2568, 1)}) == 1


@pytest.mark.parametrize(
    "period, thai, english",
    [
        (Y(2568), "ปีงบประมาณ 2568", "FY 2025"),  # English is Common Era: FY 2568 BE ends in 2025
        (Q(2568, 1), "ไตรมาส 1/2568", "Q1 FY2025"),
        (M(2568, 1), "ต.ค. 2567", "Oct 2024"),
        (M(2568, 4), "ม.ค. 2568", "Jan 2025"),
        (M(2568, 12), "ก.ย. 2568", "Sep 2025"),
    ],
)
def test_per007_labels(period, thai, english):
    assert period.label_th == period.label("th") == thai
    assert period.label_en == period.label("en") == english


@pytest.mark.parametrize(
    "args", [("Q", 2568, 5), ("Q", 2568, 0), ("M", 2568, 13), ("Y", 2568, 1), ("X", 2568, 0), ("Y", 2025, 0)]
)
def test_per008_invalid_periods_are_refused(args):
    with pytest.raises(ValueError):
        Period(*args)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    "text, period",
    [
        # fiscal years: BE, with Thai or English words, CE years converted
        ("2568", Y(2568)),
        ("พ.ศ. 2568", Y(2568)),
        ("พ.ศ.2568", Y(2568)),
        ("ปีงบประมาณ 2568", Y(2568)),
        ("ปีงบประมาณ พ.ศ. 2568", Y(2568)),
        ("ปี 2568", Y(2568)),
        ("FY2568", Y(2568)),
        ("FY 2568", Y(2568)),
        ("FY 2025", Y(2568)),
        ("2025", Y(2568)),
        ("ค.ศ. 2025", Y(2568)),
        ("๒๕๖๘", Y(2568)),
        (" 2568 ", Y(2568)),
        (2568, Y(2568)),
        (2568.0, Y(2568)),
        ("2568.0", Y(2568)),
        # quarters
        ("2568Q1", Q(2568, 1)),
        ("2568-Q2", Q(2568, 2)),
        ("2568 Q3", Q(2568, 3)),
        ("Q1/2568", Q(2568, 1)),
        ("q4/2568", Q(2568, 4)),
        ("Q1 2025", Q(2568, 1)),
        ("Q1 FY2568", Q(2568, 1)),
        ("FY2568 Q4", Q(2568, 4)),
        ("ไตรมาส 1/2568", Q(2568, 1)),
        ("ไตรมาส ๑/๒๕๖๘", Q(2568, 1)),
        ("ไตรมาสที่ 2 ปีงบประมาณ 2568", Q(2568, 2)),
        ("ไตรมาส 3/68", Q(2568, 3)),
        # months: BE or CE calendar year-month, Thai and English names, 2-digit years after names
        ("2567-10", M(2568, 1)),
        ("2024-10", M(2568, 1)),
        ("2568-01", M(2568, 4)),
        ("2025-09", M(2568, 12)),
        ("10/2567", M(2568, 1)),
        ("ต.ค. 2567", M(2568, 1)),
        ("ต.ค.2567", M(2568, 1)),
        ("ต.ค.67", M(2568, 1)),
        ("ตค 67", M(2568, 1)),
        ("ตุลาคม 2567", M(2568, 1)),
        ("เดือนตุลาคม พ.ศ. 2567", M(2568, 1)),
        ("ม.ค. 2568", M(2568, 4)),
        ("กุมภาพันธ์ ๒๕๖๘", M(2568, 5)),
        ("ก.ย. 68", M(2568, 12)),
        ("Oct 2024", M(2568, 1)),
        ("October 2024", M(2568, 1)),
        ("OCT. 2024", M(2568, 1)),
        ("Sept 2025", M(2568, 12)),
        ("dec-24", M(2568, 3)),
        # dates: the month they fall in (ISO, d/m/y in BE or CE, Excel cells and serials)
        ("2024-10-15", M(2568, 1)),
        ("2024-10-15 00:00:00", M(2568, 1)),
        ("2567-10-15", M(2568, 1)),
        ("15/10/2567", M(2568, 1)),
        ("30/9/2568", M(2568, 12)),
        ("1/10/2568", M(2569, 1)),
        ("15 ต.ค. 2567", M(2568, 1)),
        (dt.date(2025, 9, 30), M(2568, 12)),
        (dt.datetime(2025, 10, 1, 8, 30), M(2569, 1)),
        ("45580", M(2568, 1)),  # Excel serial of 15 Oct 2024
        (45930, M(2568, 12)),  # 30 Sep 2025
    ],
)
def test_per009_parse_period(text, period):
    parsed = parse_period(text)
    assert parsed.period == period
    assert (parsed.preliminary, parsed.revised) == (False, False)


@pytest.mark.parametrize(
    "text, period, preliminary, revised",
    [
        ("2567p", Y(2567), True, False),
        ("2566r", Y(2566), False, True),
        ("2566 (r)", Y(2566), False, True),
        ("๒๕๖๗p", Y(2567), True, False),
        ("พ.ศ.2568p", Y(2568), True, False),
        ("Q1/2568p", Q(2568, 1), True, False),
        ("ต.ค. 2567r", M(2568, 1), False, True),
    ],
)
def test_per010_preliminary_and_revised_marks(text, period, preliminary, revised):
    assert parse_period(text)[:3] == (period, preliminary, revised)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "no period"),
        (None, "no period"),
        (float("nan"), "no period"),
        ("abc", "cannot read"),
        ("Q5/2568", "1 to 4"),
        ("2568-13", "no month 13"),
        ("31/02/2568", "no such date"),
        ("Q1/68", "4 digits"),
        ("1800", "not a plausible year"),
        ("Foo 2568", "not a month name"),
        ("2568.5", "cannot read"),
    ],
)
def test_per011_unreadable_periods(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(text)


@pytest.mark.parametrize(
    "text, expected, reason",
    [
        ("2568", "Q", "is a fiscal year, but a quarter is needed"),
        ("2568", "M", "is a fiscal year, but a month is needed"),
        ("Q1/2568", "Y", "is a quarter, but a fiscal year is needed"),
        ("ต.ค. 2567", "Q", "is a month, but a quarter is needed"),
    ],
)
def test_per012_wrong_period_type(text, expected, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(text, expected)


@pytest.mark.parametrize("text, expected", [("2568", "Y"), ("Q2/2568", "Q"), ("2567-11", "M")])
def test_per013_expected_type_accepted(text, expected):
    assert parse_period(text, expected).period.period_type == expected


def test_per014_times_are_shown_in_thai_time_whatever_the_servers_zone():
    from data.rules.periods import thai_now
    from layouts.text.format import format_timestamp

    late_evening_utc = dt.datetime(2026, 12, 1, 20, 5, tzinfo=dt.timezone.utc)  # 03:05 on 2 Dec in Thailand
    assert format_timestamp(late_evening_utc, "th") == "2 ธ.ค. 2569 03:05 น."
    assert format_timestamp(late_evening_utc, "en") == "2 Dec 2026 03:05"
    assert format_timestamp(late_evening_utc.replace(tzinfo=None), "th") == "2 ธ.ค. 2569 03:05 น."  # the store's UTC
    assert format_timestamp(None, "th") == format_timestamp(float("nan"), "en") == "–"
    assert thai_now().utcoffset() == dt.timedelta(hours=7)


_PERIODS = st.builds(
    lambda kind, year, number: Period(kind, year, 0 if kind == "Y" else (number % 4) + 1 if kind == "Q" else number),
    st.sampled_from(["Y", "Q", "M"]),
    st.integers(2560, 2570),
    st.integers(1, 12),
)


@given(held=st.lists(_PERIODS, max_size=12), requested=st.none() | _PERIODS, days=st.integers(0, 4000))
def test_per030_the_page_and_the_query_layer_choose_the_same_period(held, requested, days):
    """The period selector's view (pages) and `choose_period` (wall, ESR, downloads through
    `data.query.resolve_period`) read the same period for any store and any request: the newest
    held period that has ended, inside the request when it has data."""
    from data.rules.periods import choose_period, period_param
    from pages._frame import read_period

    today = dt.date(2017, 1, 1) + dt.timedelta(days=days)
    choice = choose_period(held, requested, today)
    view = read_period(period_param(requested), "th", [], held=held, today=today)
    assert view.period == choice.period
    assert (view.today is None) == (requested is not None and choice.found)
    if choice.period is not None:
        assert choice.period.end <= today and choice.period in held
        if requested is not None and choice.found:
            assert requested.contains(choice.period)
