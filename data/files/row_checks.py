"""The checks of each row of a values sheet besides its KPI and area: the period, the value, the
target, the source and the flag, the values against the catalog, and rows repeating a key.

Each check adds its problems to a `Problems` (errors refuse the file, warnings do not unless
strict) and returns what the store needs, as arrays indexed like the entries.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from data.files.area_checks import LEVEL_RANK
from data.files.entries import Entries, KpiTable, Sheet, unique_texts
from data.files.headers import header_key
from data.files.number_text import format_number, parse_numbers
from data.files.tables import Problems
from data.rules.catalog import KPI, AggregationMethod
from data.rules.period_text import CALENDAR_RULE_EN, YearRules, parse_import_period
from data.rules.periods import Period

SOURCE_MAX_LENGTH = 200
KIND_WORDS = {"Y": "fiscal year", "Q": "quarter", "M": "month"}

FLAG_WORDS: dict[str, tuple[bool, bool]] = {
    "": (False, False),
    "final": (False, False),
    "ok": (False, False),
    "ปกติ": (False, False),
    "p": (True, False),
    "prelim": (True, False),
    "preliminary": (True, False),
    "estimate": (True, False),
    "เบื้องต้น": (True, False),
    "ตัวเลขเบื้องต้น": (True, False),
    "ประมาณการ": (True, False),
    "r": (False, True),
    "revised": (False, True),
    "ปรับปรุง": (False, True),
    "ตัวเลขปรับปรุง": (False, True),
    "แก้ไข": (False, True),
}


# ====================================================================== periods


class PeriodCheck(NamedTuple):
    """The periods of a sheet's entries: per entry an index into the distinct (period text, KPI) pairs."""

    codes: np.ndarray  # per entry: its distinct pair
    ok: np.ndarray  # per entry: the period is valid for the KPI
    periods: list[Period]  # per distinct pair (a placeholder where not valid)
    rank_of: np.ndarray  # per distinct pair: the rank of its period in the store's key order
    count: int  # distinct periods
    preliminary: np.ndarray  # per entry: the period text marks it preliminary ("2568p")
    revised: np.ndarray  # per entry: the period text marks it revised


def _parse_periods(
    texts: list[str], pairs: np.ndarray, kpis: KpiTable, years: YearRules
) -> tuple[list[tuple[Period, bool, bool] | str], set[int]]:
    """(the period and its flags, or why it is not valid, for each distinct (text, KPI) pair; the
    calendar years read)."""
    kinds = len(kpis.period_types) + 1
    parsed: list[tuple[Period, bool, bool] | str] = []
    calendar_years: set[int] = set()
    for pair in pairs:
        text, kind = texts[pair // kinds], kpis.period_types[pair % kinds]
        try:
            result = parse_import_period(text, kind or None, years)
            parsed.append((result.period, result.preliminary, result.revised))
            if result.calendar_year:
                calendar_years.add(result.calendar_year)
        except ValueError as exc:
            reason = str(exc)
            if "is needed" in reason:  # name the KPI that needs another kind of period
                kpi_id = kpis.ids[pair % kinds]
                reason = f"KPI {kpi_id!r} is reported by {KIND_WORDS[kind]}: {reason}"
            parsed.append(reason)
    return parsed, calendar_years


def check_periods(
    sheet: Sheet,
    position: np.ndarray,
    kpi: np.ndarray,
    kpis: KpiTable,
    rows: np.ndarray,
    years: YearRules,
    errors: Problems,
    notes: list[str],
) -> PeriodCheck:
    """Parse each distinct (period text, kind of period the KPI needs) once; a period that is not
    valid is an error (once per row and reason); calendar years read go to `notes`."""
    period_codes, period_texts = unique_texts(sheet.cells[sheet.roles["period"]])
    pair_codes, pair_first = pd.factorize(period_codes[position] * (len(kpis.period_types) + 1) + kpi)
    parsed, calendar_years = _parse_periods(period_texts, pair_first, kpis, years)
    if calendar_years:
        first = min(calendar_years)
        notes.append(
            f"{len(calendar_years)} calendar year(s) ({first}"
            + (f"-{max(calendar_years)}" if len(calendar_years) > 1 else "")
            + "): "
            + CALENDAR_RULE_EN.format(cy=first, prev=first - 1)
        )
    period_ok_of = np.array([not isinstance(p, str) for p in parsed] or [True], dtype=bool)
    period_ok = period_ok_of[pair_codes]
    bad = np.flatnonzero(~period_ok)
    if bad.size:
        reason_of = np.array([p if isinstance(p, str) else "" for p in parsed], dtype=object)
        problems = pd.DataFrame({"row": rows[bad], "reason": reason_of[pair_codes[bad]]}).drop_duplicates()
        errors.add(problems["row"].to_numpy(), sheet.header["period"], problems["reason"].to_numpy(dtype=object))
    periods, period_rank_of, count = _period_order(parsed)
    preliminary = np.array([p[1] if not isinstance(p, str) else False for p in parsed] or [False])[pair_codes]
    revised = np.array([p[2] if not isinstance(p, str) else False for p in parsed] or [False])[pair_codes]
    return PeriodCheck(pair_codes, period_ok, periods, period_rank_of, count, preliminary, revised)


def _period_order(parsed: list[tuple[Period, bool, bool] | str]) -> tuple[list[Period], np.ndarray, int]:
    """(the period of each distinct pair, a placeholder where not valid; its rank in the store's key
    order; the number of distinct periods)."""
    periods = [p[0] if not isinstance(p, str) else Period.year(2500) for p in parsed]
    period_sort = sorted(set(periods), key=lambda p: (p.period_type, p.fiscal_year, p.period_no))
    rank_of_period = {period: rank for rank, period in enumerate(period_sort)}
    return periods, np.array([rank_of_period[p] for p in periods] or [0], dtype=np.int64), len(period_sort)


# ====================================================================== values, targets, sources, flags


def check_values(
    entries: Entries, rows: np.ndarray, wide: bool, errors: Problems
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, empty, not a number) of each entry; an empty value or one that is not a number is an error."""
    values, empty, bad_value = parse_numbers(entries.text, wide=wide)
    errors.add(rows[empty], entries.column[empty], "no value given")
    if bad_value.any():
        shown = entries.text.to_numpy(dtype=object)[bad_value]
        errors.add(
            rows[bad_value],
            entries.column[bad_value],
            np.array([f"{str(text).strip()!r} is not a number" for text in shown], dtype=object),
        )
    return values, empty, bad_value


def check_targets(sheet: Sheet, position: np.ndarray, errors: Problems) -> np.ndarray:
    """The target of each entry (NaN without one); a target that is not a number is an error."""
    targets = np.full(len(position), np.nan)
    if "target" in sheet.roles:
        column = sheet.cells[sheet.roles["target"]]
        target_values, _, bad_target = parse_numbers(column)
        if bad_target.any():
            shown = column.to_numpy(dtype=object)[bad_target]
            errors.add(
                sheet.rows[bad_target],
                sheet.header["target"],
                np.array([f"{str(text).strip()!r} is not a number" for text in shown], dtype=object),
            )
        targets = target_values[position]
    return targets


def check_sources(sheet: Sheet, position: np.ndarray, errors: Problems) -> np.ndarray:
    """The source of each entry (None without one); a source longer than SOURCE_MAX_LENGTH is an error."""
    sources = np.full(len(position), None, dtype=object)
    if "source" in sheet.roles:
        source_codes, source_texts = unique_texts(sheet.cells[sheet.roles["source"]])
        too_long = np.array([len(text) > SOURCE_MAX_LENGTH for text in source_texts] or [False])[source_codes]
        errors.add(sheet.rows[too_long], sheet.header["source"], f"longer than {SOURCE_MAX_LENGTH} characters")
        sources = np.array([text or None for text in source_texts] or [None], dtype=object)[source_codes][position]
    return sources


def check_flags(
    sheet: Sheet, position: np.ndarray, rows: np.ndarray, preliminary: np.ndarray, revised: np.ndarray, errors: Problems
) -> tuple[np.ndarray, np.ndarray]:
    """(preliminary, revised) of each entry, the flag column added to what the period said; a flag
    that is no known word, or an entry both preliminary and revised, is an error."""
    if "flag" in sheet.roles:
        header = sheet.header["flag"]
        flag_codes, flag_texts = unique_texts(sheet.cells[sheet.roles["flag"]])
        flags = [FLAG_WORDS.get(header_key(text)) for text in flag_texts]
        bad_flag = np.array([f is None for f in flags] or [False])[flag_codes]
        errors.add(sheet.rows[bad_flag], header, "flag must be p (preliminary), r (revised) or empty")
        preliminary = preliminary | np.array([bool(f and f[0]) for f in flags] or [False])[flag_codes][position]
        revised = revised | np.array([bool(f and f[1]) for f in flags] or [False])[flag_codes][position]
        errors.add(rows[preliminary & revised], header, "marked both preliminary and revised")
    return preliminary, revised


# ====================================================================== against the catalog


def plausible(
    values: np.ndarray,
    targets: np.ndarray,
    kpi: np.ndarray,
    kpi_ok: np.ndarray,
    kpis: list[KPI],
    levels: np.ndarray,
    rows: np.ndarray,
    columns: np.ndarray,
    target_column: str,
    errors: Problems,
    warnings: Problems,
) -> None:
    """Values against the catalog: outside a KPI's valid range refuses the file; outside its
    typical range (for a province, or any level for KPIs that are not sums), or a 0 where the
    catalog calls 0 implausible, is a warning."""
    low = np.array([k.valid_bounds[0] for k in kpis] + [-np.inf])
    high = np.array([k.valid_bounds[1] for k in kpis] + [np.inf])
    typical_low = np.array([k.typical_range[0] for k in kpis] + [-np.inf])
    typical_high = np.array([k.typical_range[1] for k in kpis] + [np.inf])
    zero_bad = np.array([k.zero_is_implausible for k in kpis] + [False])
    sums = np.array([k.aggregation.method is AggregationMethod.sum for k in kpis] + [False])
    with np.errstate(invalid="ignore"):
        for what, numbers, where in (("value", values, columns), ("target", targets, None)):
            outside = np.flatnonzero(kpi_ok & ~np.isnan(numbers) & ((numbers < low[kpi]) | (numbers > high[kpi])))
            if outside.size:
                errors.add(
                    rows[outside],
                    where[outside] if where is not None else target_column,
                    _outside_valid(what, numbers, outside, kpi, kpis),
                )
        province = levels == LEVEL_RANK["province"]
        judged = kpi_ok & ~np.isnan(values) & (province | ~sums[kpi])
        zero = np.flatnonzero(judged & province & (values == 0) & zero_bad[kpi])
        if zero.size:
            warnings.add(rows[zero], columns[zero], _implausible_zeros(zero, kpi, kpis))
        unusual = np.flatnonzero(judged & (values != 0) & ((values < typical_low[kpi]) | (values > typical_high[kpi])))
        if unusual.size:
            warnings.add(rows[unusual], columns[unusual], _outside_typical(values, unusual, kpi, kpis))


def _outside_valid(what: str, numbers: np.ndarray, outside: np.ndarray, kpi: np.ndarray, kpis: list[KPI]) -> np.ndarray:
    """The error of each entry in `outside` whose value (or target: `what`) is outside its KPI's valid range."""
    return np.array(
        [
            f"{what} {format_number(numbers[i])} is outside the valid range of KPI "
            f"{kpis[kpi[i]].id!r}: {_bounds(kpis[kpi[i]])}"
            for i in outside
        ],
        dtype=object,
    )


def _implausible_zeros(zero: np.ndarray, kpi: np.ndarray, kpis: list[KPI]) -> np.ndarray:
    """The warning of each province entry in `zero` whose 0 its KPI calls implausible."""
    return np.array(
        [
            f"0 is implausible for KPI {kpis[kpi[i]].id!r} in a province (typical "
            f"{_typical(kpis[kpi[i]])}); if it means "
            "'not surveyed' or 'no data', leave the cell empty"
            for i in zero
        ],
        dtype=object,
    )


def _outside_typical(values: np.ndarray, unusual: np.ndarray, kpi: np.ndarray, kpis: list[KPI]) -> np.ndarray:
    """The warning of each entry in `unusual` whose value is outside its KPI's typical range."""
    return np.array(
        [
            f"{format_number(values[i])} is outside the typical range of KPI {kpis[kpi[i]].id!r} "
            f"({_typical(kpis[kpi[i]])} "
            f"{kpis[kpi[i]].unit.en}); check the unit and the figure"
            for i in unusual
        ],
        dtype=object,
    )


def _typical(kpi: KPI) -> str:
    low, high = kpi.typical_range
    return f"{format_number(low)}-{format_number(high)}"


def _bounds(kpi: KPI) -> str:
    low, high = kpi.valid_bounds
    unit = kpi.unit.en
    if high >= 1e12:
        return f"at least {format_number(low)} {unit}" if low > -1e12 else f"at most 1e12 in size ({unit})"
    return f"{format_number(low)} to {format_number(high)} {unit}"


# ====================================================================== repeated keys


class Figures(NamedTuple):
    """What each entry says besides its key."""

    values: np.ndarray
    targets: np.ndarray  # NaN without one
    sources: np.ndarray  # None without one
    preliminary: np.ndarray
    revised: np.ndarray


def duplicates(
    repeated: np.ndarray, key: np.ndarray, rows: np.ndarray, columns: np.ndarray, figures: Figures, errors: Problems
) -> np.ndarray:
    """Entries repeating an earlier one: exact repeats are dropped (returned mask), others are errors."""
    group = pd.DataFrame(
        {
            "key": key[repeated],
            "row": rows[repeated],
            "value": figures.values[repeated],
            "target": np.nan_to_num(figures.targets[repeated], nan=np.inf),  # so that two missing targets are equal
            "source": pd.Series(figures.sources[repeated], dtype=object).fillna("\x00").to_numpy(dtype=object),
            "p": figures.preliminary[repeated],
            "r": figures.revised[repeated],
        },
        index=repeated,
    ).sort_values(["key", "row"], kind="stable")
    first = group.groupby("key", sort=False).transform("first")
    later = (group["row"] != first["row"]).to_numpy()
    same = np.logical_and.reduce([(group[c] == first[c]).to_numpy() for c in ("value", "target", "source", "p", "r")])
    conflict = later & ~same
    where = group.index.to_numpy()
    errors.add(
        group["row"].to_numpy()[conflict],
        columns[where[conflict]],
        np.array(
            [f"same KPI, area and period as row {r} with a different value" for r in first["row"].to_numpy()[conflict]],
            dtype=object,
        ),
    )
    drop = np.zeros(len(key), dtype=bool)
    drop[where[later & same]] = True
    return drop
