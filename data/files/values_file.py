"""Read a file of KPI values (CSV or XLSX, long or wide) and check every row; no SQL here.

`parse_values_file` returns the values as a DataFrame with exactly `VALUE_COLUMNS`, or
raises `ValueImportError` listing every bad row with the row number a user sees in a
spreadsheet (the header is row 1), the column and the reason. Nothing is written unless the
whole file is good. Work is vectorised: distinct KPI, area and period texts are resolved once
each and mapped back, numbers are converted with column operations.

The checks, in the order their problems are found: the columns (`data.files.columns`), the
KPI of each row (`data.files.entries`), the areas (`data.files.area_checks`), then the
periods, values, targets, sources, flags, the values against the catalog and rows repeating a
key (`data.files.row_checks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from data.files.area_checks import LEVEL_RANK, AreaCheck, check_areas, check_levels
from data.files.columns import Columns, kpi_lookup, map_columns
from data.files.csv_reader import read_csv
from data.files.entries import Entries, KpiTable, Sheet, blank_rows, long_entries, wide_entries
from data.files.headers import AREA_ROLES
from data.files.row_checks import (
    Figures,
    PeriodCheck,
    check_flags,
    check_periods,
    check_sources,
    check_targets,
    check_values,
    duplicates,
    plausible,
)
from data.files.tables import Problems, Progress, RowError, Table, ValueImportError
from data.files.xlsx_reader import read_xlsx
from data.rules.areas import AreaIndex
from data.rules.catalog import Catalog
from data.rules.period_text import YearRules
from data.rules.periods import PERIOD_TYPE_CODES, fiscal_year_of, thai_today
from data.rules.value_fields import VALUE_COLUMNS


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file beyond what it says itself.

    `years`: the year rules (window, bare CE years, calendar years). `strict`: warnings refuse
    the file. `column_map`: source column -> KPI id or column role (from `--map FILE`), by
    `header_key`. `ignore`: columns left out (by `header_key`). `ignore_unknown`: columns that
    are neither a KPI nor a known column are left out with a warning instead of refusing."""

    years: YearRules = field(default_factory=lambda: default_year_rules())
    strict: bool = False
    column_map: dict[str, str] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()
    ignore_unknown: bool = False


def default_year_rules(calendar: bool = False, plain_ce: str = "refuse") -> YearRules:
    """Years from the setting POC_IMPORT_FIRST_YEAR to next fiscal year."""
    from settings import get_settings

    return YearRules(
        first=get_settings().import_first_year,
        last=fiscal_year_of(thai_today()) + 1,
        plain_ce=plain_ce,
        calendar=calendar,
    )


@dataclass
class ParsedValues:
    """The checked values of one file, ready for `data.store.values.write_values`."""

    frame: pd.DataFrame  # exactly VALUE_COLUMNS, one row per key, in the store's key order
    rows_read: int  # non-blank data rows in the file
    source_name: str
    shape: str  # "long" or "wide"
    duplicates_dropped: int = 0  # rows repeating another row exactly
    warnings: list[RowError] = field(default_factory=list)  # implausible but possible; imported unless strict
    notes: list[str] = field(default_factory=list)  # how the file was read (columns left out, calendar years)


def parse_values_file(
    path: Path | str,
    catalog: Catalog,
    areas: AreaIndex,
    sheet: str | None = None,
    source_name: str | None = None,
    progress: Progress | None = None,
    options: ImportOptions | None = None,
) -> ParsedValues:
    """Read and check a CSV or XLSX file of KPI values; raise ValueImportError listing every bad row."""
    path = Path(path)
    name = source_name or path.name
    if not path.is_file():
        raise ValueImportError(name, [RowError(name, 1, "", "the file does not exist")])
    if path.suffix.lower() in (".xls", ".ods"):
        raise ValueImportError(
            name, [RowError(name, 1, "", f"{path.suffix} files are not read; save the sheet as .xlsx or CSV")]
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_xlsx(path, name, sheet, progress)
    else:
        table = read_csv(path, name, progress)
    return _check_table(table, catalog, areas, name, progress, options)


# ====================================================================== checking


@dataclass
class _Check:
    """One check of a file: its name, how to read it, whom to tell the progress, what it found."""

    name: str
    options: ImportOptions
    progress: Progress | None
    errors: Problems
    warnings: Problems
    notes: list[str]

    def step(self, done: int) -> None:
        """Tell the progress: `done` of the 4 steps of checking."""
        if self.progress:
            self.progress("check", done, 4)


def _check_table(
    table: Table,
    catalog: Catalog,
    areas: AreaIndex,
    name: str,
    progress: Progress | None = None,
    options: ImportOptions | None = None,
) -> ParsedValues:
    check = _Check(name, options or ImportOptions(), progress, Problems(name), Problems(name), [])
    lookup = kpi_lookup(catalog)
    if getattr(table, "encoding", "") and not table.encoding.startswith("UTF-8"):
        check.notes.append(f"the text was read as {table.encoding}")
    columns = map_columns(table, lookup, check.errors, check.options, check.warnings, check.notes)
    if check.errors:
        raise check.errors.error(0)
    sheet = _data_rows(table, columns)
    check.step(0)
    kpis = _kpi_table(catalog)
    if sheet.long:
        entries = long_entries(sheet, kpis.rank, lookup, check.errors)
    else:
        entries = wide_entries(sheet.cells, table.header, columns.kpi_columns, kpis.rank)
    return _check_entries(check, sheet, entries, kpis, areas)


def _data_rows(table: Table, columns: Columns) -> Sheet:
    """The table without its blank rows (they keep their number: a spreadsheet shows them)."""
    roles = columns.roles
    header = {role: table.header[index] for role, index in roles.items()}
    area_roles = [role for role in AREA_ROLES if role in roles]
    cells, rows = table.cells, table.row_numbers
    used = [*roles.values(), *columns.kpi_columns]
    blank = blank_rows(cells, used, roles["kpi"] if "kpi" in roles else roles[area_roles[0]])
    if blank.any():
        cells, rows = cells.iloc[np.flatnonzero(~blank)].reset_index(drop=True), rows[~blank]
    return Sheet(cells, rows, roles, header)


def _kpi_table(catalog: Catalog) -> KpiTable:
    """The catalog's KPIs sorted by id, with the arrays the checks index by an entry's KPI."""
    kpis = sorted(catalog.kpis, key=lambda kpi: kpi.id)
    return KpiTable(
        kpis,
        {kpi.id: rank for rank, kpi in enumerate(kpis)},
        np.array([k.id for k in kpis] + [""], dtype=object),
        np.array([PERIOD_TYPE_CODES[k.period_type.value] for k in kpis] + [""], dtype=object),
        np.array([LEVEL_RANK[k.finest_level] for k in kpis] + [9]),
    )


def _check_entries(check: _Check, sheet: Sheet, entries: Entries, kpis: KpiTable, areas: AreaIndex) -> ParsedValues:
    """Check the area, period and figures of every entry, then the keys; the checked values, or
    ValueImportError listing every problem."""
    errors, position = check.errors, entries.position
    entry_rows = sheet.rows[position]
    kpi_ok = entries.kpi >= 0
    kpi = np.where(kpi_ok, entries.kpi, len(kpis.kpis))  # the last entry of the KPI arrays stands for "unknown"
    area = check_areas(areas, sheet, position, errors)
    check_levels(area, kpi, kpi_ok, kpis, entry_rows, errors)
    check.step(1)
    period = check_periods(sheet, position, kpi, kpis, entry_rows, check.options.years, errors, check.notes)
    check.step(2)
    values, empty, bad_value = check_values(entries, entry_rows, not sheet.long, errors)
    targets = check_targets(sheet, position, errors)
    sources = check_sources(sheet, position, errors)
    preliminary, revised = check_flags(sheet, position, entry_rows, period.preliminary, period.revised, errors)
    plausible(
        values,
        targets,
        kpi,
        kpi_ok,
        kpis.kpis,
        area.level_of[area.entry_area],
        entry_rows,
        entries.column,
        sheet.header.get("target", ""),
        errors,
        check.warnings,
    )
    if check.options.strict and check.warnings:  # the user asked that anything implausible refuse the file
        for rows_, columns_, reasons_ in zip(check.warnings.rows, check.warnings.columns, check.warnings.reasons):
            errors.add(rows_, columns_, reasons_)
    check.step(3)
    # ---- one key per entry (KPI, area, period ranks): duplicates, then the sort order
    figures = Figures(values, targets, sources, preliminary, revised)
    good = kpi_ok & area.ok & period.ok & ~empty & ~bad_value
    key = (kpi * area.count + area.rank_of[area.entry_area]) * max(1, period.count) + period.rank_of[period.codes]
    drop = np.zeros(len(key), dtype=bool)
    repeated = np.flatnonzero(pd.Series(np.where(good, key, -1 - np.arange(len(key)))).duplicated(keep=False))
    if repeated.size:
        drop = duplicates(repeated, key, entry_rows, entries.column, figures, errors)
    rows_read = len(sheet.cells)
    if errors:
        raise errors.error(rows_read)
    check.step(4)
    frame = _value_frame(np.flatnonzero(~drop), key, kpi, kpis, area, period, figures)
    found = check.warnings.error(rows_read).errors if check.warnings else []
    return ParsedValues(
        frame, rows_read, check.name, "long" if sheet.long else "wide", int(drop.sum()), found, check.notes
    )


def _value_frame(
    keep: np.ndarray,
    key: np.ndarray,
    kpi: np.ndarray,
    kpis: KpiTable,
    area: AreaCheck,
    period: PeriodCheck,
    figures: Figures,
) -> pd.DataFrame:
    """The values of the entries `keep`, one row per key, sorted by key."""
    keep = keep[np.argsort(key[keep], kind="stable")]
    period_of = period.codes[keep]
    periods = period.periods
    return pd.DataFrame(
        {  # text columns stay object: no per-cell string-dtype conversion
            "kpi_id": pd.Series(kpis.ids[kpi[keep]], dtype=object),
            "area_code": pd.Series(area.code_of[area.entry_area[keep]], dtype=object),
            "period_type": pd.Series(np.array([p.period_type for p in periods], dtype=object)[period_of], dtype=object),
            "fiscal_year": np.array([p.fiscal_year for p in periods], dtype=np.int64)[period_of],
            "period_no": np.array([p.period_no for p in periods], dtype=np.int64)[period_of],
            "value": figures.values[keep],
            "target": figures.targets[keep],
            "source": pd.Series(figures.sources[keep], dtype=object),
            "is_preliminary": figures.preliminary[keep].astype(bool),
            "is_revised": figures.revised[keep].astype(bool),
            "is_demo": np.zeros(keep.size, dtype=bool),
        },
        columns=list(VALUE_COLUMNS),
    )
