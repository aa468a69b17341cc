"""Read a file of KPI values (CSV or XLSX, long or wide) and check every row; no SQL here.

`parse_values_file` returns the values as a DataFrame with exactly `VALUE_COLUMNS`, or
raises `ValueImportError` listing every bad row with the row number a user sees in a
spreadsheet (the header is row 1), the column and the reason. Nothing is written unless the
whole file is good. Work is vectorised: distinct KPI, area and period texts are resolved once
each and mapped back, numbers are converted with column operations.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from data.rules.areas import AreaIndex, AreaRef
from data.files.tables import (AREA_ROLES, COLUMN_ALIASES, ROLE_OF, Progress, RowError, Table, ValueImportError, header_key, read_csv,
                         read_xlsx)
from data.rules.catalog import KPI, AggregationMethod, Catalog
from data.rules.periods import CALENDAR_RULE_EN, THAI_DIGITS, Period, YearRules, fiscal_year_of, \
    parse_import_period, thai_today
from data.rules.catalog import VALUE_COLUMNS
from data.rules.periods import PERIOD_TYPE_CODES

LEVEL_RANK = {"province": 1, "district": 2, "subdistrict": 3}
SOURCE_MAX_LENGTH = 200

FLAG_WORDS: dict[str, tuple[bool, bool]] = {
    "": (False, False), "final": (False, False), "ok": (False, False), "ปกติ": (False, False),
    "p": (True, False), "prelim": (True, False), "preliminary": (True, False), "estimate": (True, False),
    "เบื้องต้น": (True, False), "ตัวเลขเบื้องต้น": (True, False), "ประมาณการ": (True, False),
    "r": (False, True), "revised": (False, True), "ปรับปรุง": (False, True), "ตัวเลขปรับปรุง": (False, True),
    "แก้ไข": (False, True),
}
# cells meaning "no figure" in a wide table, besides empty ones
NO_FIGURE = {"-", "–", "—", "n/a", "na"}


SUGGESTIONS_FOR = 50  # unknown columns and areas that get a "did you mean" (the rest are only named)
# words written short in real files, spelled out before looking for a close KPI id or name
ABBREVIATIONS = {"hh": "household", "pct": "pct", "avg": "avg", "pop": "population", "prov": "province",
                 "emp": "employment", "unemployed": "unemployment", "gdp": "gpp", "inc": "income"}


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

    return YearRules(first=get_settings().import_first_year, last=fiscal_year_of(thai_today()) + 1,
                     plain_ce=plain_ce, calendar=calendar)


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


# ====================================================================== checking


@dataclass
class _Errors:
    """Problems collected as arrays, one check at a time; sorted by row at the end."""

    file: str
    rows: list[np.ndarray] = field(default_factory=list)
    columns: list[np.ndarray] = field(default_factory=list)
    reasons: list[np.ndarray] = field(default_factory=list)

    def add(self, rows: np.ndarray, column, reason) -> None:
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        self.rows.append(rows)
        self.columns.append(np.broadcast_to(np.asarray(column, dtype=object), rows.shape))
        self.reasons.append(np.broadcast_to(np.asarray(reason, dtype=object), rows.shape))

    def __bool__(self) -> bool:
        return bool(self.rows)

    def error(self, rows_read: int) -> ValueImportError:
        rows = np.concatenate(self.rows)
        columns = np.concatenate(self.columns)
        reasons = np.concatenate(self.reasons)
        order = np.argsort(rows, kind="stable")
        errors = [RowError(self.file, int(r), str(c), str(m))
                  for r, c, m in zip(rows[order], columns[order], reasons[order])]
        return ValueImportError(self.file, errors, rows_read)


def parse_numbers(text: pd.Series, wide: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers as written in Thai files: Thai digits, "1,234.5", spaces, "%", "(12)" for -12.

    Returns (values with NaN where empty or bad, empty mask, bad mask). In a wide table "-"
    counts as empty.
    """
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    empty = np.zeros(len(values), dtype=bool)
    bad = np.zeros(len(values), dtype=bool)
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        cleaned = text.iloc[missing].astype(str).str.translate(THAI_DIGITS).str.strip()
        cleaned = cleaned.str.replace(r"\s*%$", "%", regex=True).str.replace("\u2212", "-")
        # a space inside a number only as a thousands separator ("1 234 567"): "12 34" is no number
        spaced = cleaned.str.contains(r"[\s\u00a0\u202f]", regex=True)
        grouped_spaces = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d*)?%?")
        cleaned = cleaned.where(~spaced | grouped_spaces, "not a number")
        cleaned = cleaned.str.replace(r"[\s\u00a0\u202f]+", "", regex=True)
        is_empty = (cleaned == "") | (cleaned.str.lower().isin(NO_FIGURE) if wide else False)
        cleaned = cleaned.str.removesuffix("%")
        cleaned = cleaned.str.replace(r"^\((.*)\)$", r"-\1", regex=True)
        has_comma = cleaned.str.contains(",", regex=False)
        grouped = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
        cleaned = cleaned.where(~has_comma | grouped, "not a number").str.replace(",", "", regex=False)
        parsed = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
        parsed[is_empty.to_numpy()] = np.nan
        values[missing] = parsed
        empty[missing] = is_empty.to_numpy()
        bad[missing] = np.isnan(parsed) & ~is_empty.to_numpy()
    bad |= np.isinf(values)
    values[np.isinf(values)] = np.nan
    return values, empty, bad


def _kpi_lookup(catalog: Catalog) -> dict[str, KPI]:
    """KPI by id, and by Thai or English name where the name is unique."""
    lookup: dict[str, KPI] = {}
    names: dict[str, list[KPI]] = {}
    for kpi in catalog.kpis:
        for name in (kpi.name.th, kpi.name.en):
            names.setdefault(header_key(name), []).append(kpi)
    for name, kpis in names.items():
        if len(kpis) == 1:
            lookup[name] = kpis[0]
    for kpi in catalog.kpis:
        lookup[kpi.id] = kpi
        lookup[header_key(kpi.id)] = kpi
    return lookup


def _find_kpi(lookup: dict[str, KPI], text: str) -> KPI | None:
    text = str(text).strip()
    return lookup.get(text.lower()) or lookup.get(header_key(text))


class _Columns(NamedTuple):
    roles: dict[str, int]  # role -> column index
    kpi_columns: dict[int, KPI]  # wide shape: column index -> KPI


KNOWN_COLUMNS = ("kpi_id, area, province, district, subdistrict, period, value, target, source, flag "
                 "(or their Thai names), or a KPI id per column")


def _map_columns(table: Table, lookup: dict[str, KPI], errors: _Errors, options: ImportOptions,
                 warnings: _Errors, notes: list[str]) -> _Columns:
    roles: dict[str, int] = {}
    kpi_columns: dict[int, KPI] = {}
    unknown: list[int] = []
    seen: dict[str, int] = {}
    ignored: list[str] = []
    row = np.array([table.header_row])
    for index, name in enumerate(table.header):
        key = header_key(name)
        if key and key in seen:  # the same column twice: which one holds the figure?
            errors.add(row, name, f"column {name!r} appears twice (columns {seen[key] + 1} and {index + 1}); "
                                  "keep one")
            continue
        if key:
            seen[key] = index
        if key in options.ignore:
            ignored.append(name)
            continue
        mapped = options.column_map.get(key)
        wanted = mapped if mapped is not None else name
        role = ROLE_OF.get(header_key(wanted))
        if role == "ignored" or (not name and not table.cells[index].astype(bool).any()):
            continue
        if role is None:
            kpi = _find_kpi(lookup, wanted) if wanted else None
            if kpi is None:
                unknown.append(index)
            elif kpi.id in {k.id for k in kpi_columns.values()}:
                first = next(i for i, k in kpi_columns.items() if k.id == kpi.id)
                errors.add(row, name, f"columns {table.header[first]!r} and {name!r} both give KPI {kpi.id!r}; "
                                      "keep one")
            else:
                kpi_columns[index] = kpi
        elif role in roles:
            errors.add(row, name, f"two columns give the {role}: {table.header[roles[role]]!r} and {name!r}")
        else:
            roles[role] = index
    if ignored:
        notes.append(f"columns left out as asked: {', '.join(repr(n) for n in ignored)}")
    long = "kpi" in roles
    if long and kpi_columns:
        for index in kpi_columns:
            errors.add(row, table.header[index], "a KPI column in a file that also has a KPI id column; "
                                                 "use either one row per value or one column per KPI")
    for number, index in enumerate(unknown):
        shown = table.header[index] or f"column {index + 1}"
        hint = _did_you_mean(shown, lookup) if number < SUGGESTIONS_FOR else ""
        if options.ignore_unknown:
            warnings.add(row, shown, f"not a KPI or a known column: left out{hint}")
        else:
            reason = "unknown column" if long else "unknown KPI id (or unknown column)"
            errors.add(row, shown, f"{reason}{hint}")
    if unknown and not options.ignore_unknown:
        errors.add(row, "", f"known columns: {KNOWN_COLUMNS}; map other names with --map FILE, or leave "
                            "columns out with --ignore-columns or --ignore-unknown-columns")
    if not any(role in roles for role in AREA_ROLES):
        errors.add(row, "", "no area column (area, พื้นที่, จังหวัด, อำเภอ or ตำบล)")
    if "period" not in roles:
        errors.add(row, "", "no period column (period, ปีงบประมาณ, งวด ...)")
    if long and "value" not in roles:
        errors.add(row, "", "no value column (value, ค่า, ผลการดำเนินงาน ...)")
    if not long and not kpi_columns:
        errors.add(row, "", "no KPI column: give a kpi_id column, or one column per KPI id")
    for role in ("target", "value"):
        if not long and role in roles:
            errors.add(row, table.header[roles[role]], f"a {role} column needs a KPI id column (one value per row)")
    return _Columns(roles, kpi_columns)


def _expanded_key(text: str) -> str:
    """A header as words, abbreviations spelled out, then as `header_key` (for close matches)."""
    words = re.split(r"[\s_\-./()%]+|(?<=[a-z])(?=[A-Z])", str(text))
    return header_key("".join(ABBREVIATIONS.get(w.lower(), w) for w in words if w))


@lru_cache(maxsize=4)
def _column_candidates(lookup_ids: tuple[str, ...]) -> dict[str, str]:
    """Close-match keys -> what to suggest: KPI ids, their Thai and English names, column names."""
    from data.rules.catalog import get_catalog

    candidates: dict[str, str] = {}
    for kpi in get_catalog().kpis:
        if kpi.id in lookup_ids:
            for text in (kpi.id, kpi.name.th, kpi.name.en):
                candidates.setdefault(_expanded_key(text), kpi.id)
    for role, aliases in COLUMN_ALIASES.items():
        if role != "ignored":
            for alias in aliases:
                candidates.setdefault(alias, aliases[0] if role != "kpi" else "kpi_id")
    return candidates


def _did_you_mean(text: str, lookup: dict[str, KPI]) -> str:
    candidates = _column_candidates(tuple(sorted({kpi.id for kpi in lookup.values()})))
    close = difflib.get_close_matches(_expanded_key(text), list(candidates), n=6, cutoff=0.6)
    shown = list(dict.fromkeys(candidates[key] for key in close))[:3]
    return f"; did you mean {' or '.join(repr(s) for s in shown)}?" if shown else ""


def _factorize_rows(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer codes (0..n-1) of the distinct rows of `frame`, and those distinct rows (vectorised)."""
    codes = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:  # fold one column at a time, re-densifying so codes never overflow
        column_codes, column_uniques = pd.factorize(frame[column])
        codes, _ = pd.factorize(codes * (len(column_uniques) + 1) + column_codes)
    count = int(codes.max()) + 1 if len(codes) else 0
    first = np.zeros(count, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the first occurrence of each code
    return codes, frame.iloc[first].reset_index(drop=True)


class _AreaResult(NamedTuple):
    ref: AreaRef | None  # None when the cells name no valid area
    column: str  # the column that named the area, or that is wrong
    reason: str = ""


def _resolve_area(areas: AreaIndex, texts: dict[str, str], header: dict[str, str]) -> _AreaResult:
    """The area a row names. Coarser columns (province, district) narrow finer names down."""
    within: AreaRef | None = None
    column = ""
    for role in AREA_ROLES:
        text = texts.get(role, "").strip()
        if not text:
            continue
        level = None if role == "area" else role
        try:
            ref = areas.resolve(text, level=level, within=within.code if within else None)
        except LookupError as exc:
            return _AreaResult(None, header[role], str(exc))
        if within is not None and ref.code != within.code and not _inside(areas, ref, within):
            return _AreaResult(None, header[role], f"{text!r} ({ref.code}) is not in {within.name_th} ({within.code})")
        within, column = ref, header[role]
    if within is None:
        return _AreaResult(None, header[next(role for role in AREA_ROLES if role in header)], "no area given")
    if within.level not in LEVEL_RANK:
        return _AreaResult(None, column, f"{within.code} is a {within.level}; values are imported for "
                                         "provinces, districts or subdistricts")
    return _AreaResult(within, column)


def _inside(areas: AreaIndex, ref: AreaRef, ancestor: AreaRef) -> bool:
    current: AreaRef | None = ref
    while current is not None and current.parent_code:
        if current.parent_code == ancestor.code:
            return True
        current = areas.by_code.get(current.parent_code)
    return False


class _Entries(NamedTuple):
    """One entry per value to import: which file row it comes from, its KPI and its value text."""

    position: np.ndarray  # row position in the table
    kpi: np.ndarray  # index into the catalog's KPIs sorted by id, -1 when unknown
    text: pd.Series  # the value cell
    column: np.ndarray  # the column the value is in (for messages)


def _blank_rows(cells: pd.DataFrame, used: list[int], probe: int) -> np.ndarray:
    """Rows whose used cells are all empty or spaces; `probe` is a column with few distinct texts."""
    codes, uniques = pd.factorize(cells[probe])
    candidates = np.flatnonzero(np.array([not str(text).strip() for text in uniques] or [True])[codes])
    blank = np.zeros(len(cells), dtype=bool)
    if candidates.size:
        subset = cells.iloc[candidates]
        blank[candidates] = np.logical_and.reduce([subset[index].str.strip().eq("").to_numpy() for index in used])
    return blank


def _long_entries(cells: pd.DataFrame, roles: dict[str, int], header: dict[str, str], kpi_rank: dict[str, int],
                  lookup: dict[str, KPI], rows: np.ndarray, errors: _Errors) -> _Entries:
    codes, texts = pd.factorize(cells[roles["kpi"]])
    found = [_find_kpi(lookup, text) for text in texts]
    rank_of = np.array([kpi_rank[kpi.id] if kpi else -1 for kpi in found] or [-1], dtype=np.int64)
    kpi = rank_of[codes]
    unknown = np.flatnonzero(kpi < 0)
    if unknown.size:
        reason_of = np.array([f"unknown KPI id {str(text).strip()!r}" if str(text).strip() else "no KPI id given"
                              for text in texts], dtype=object)
        errors.add(rows[unknown], header["kpi"], reason_of[codes[unknown]])
    return _Entries(np.arange(len(cells)), kpi, cells[roles["value"]],
                    np.full(len(cells), header["value"], dtype=object))


def _wide_entries(cells: pd.DataFrame, header: list[str], kpi_columns: dict[int, KPI],
                  kpi_rank: dict[str, int]) -> _Entries:
    """Melt the KPI columns: one entry per non-empty cell ("-" also means no figure)."""
    positions, kpis, texts, columns = [], [], [], []
    for index, kpi in kpi_columns.items():
        cell = cells[index]
        codes, uniques = pd.factorize(cell)
        empty = np.array([str(t).strip().lower() in NO_FIGURE or not str(t).strip() for t in uniques] or [True])
        present = np.flatnonzero(~empty[codes])
        positions.append(present)
        kpis.append(np.full(present.size, kpi_rank[kpi.id], dtype=np.int64))
        texts.append(cell.iloc[present])
        columns.append(np.full(present.size, header[index], dtype=object))
    if not positions:
        return _Entries(np.zeros(0, np.int64), np.zeros(0, np.int64), pd.Series([], dtype=object),
                        np.zeros(0, dtype=object))
    return _Entries(np.concatenate(positions), np.concatenate(kpis), pd.concat(texts, ignore_index=True),
                    np.concatenate(columns))


def _unique_texts(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes of a text column and its distinct texts, stripped (stripping only the distinct ones)."""
    codes, uniques = pd.factorize(column)
    return codes, [str(text).strip() for text in uniques]


def parse_values_file(path: Path | str, catalog: Catalog, areas: AreaIndex, sheet: str | None = None,
                      source_name: str | None = None, progress: Progress | None = None,
                      options: ImportOptions | None = None) -> ParsedValues:
    """Read and check a CSV or XLSX file of KPI values; raise ValueImportError listing every bad row."""
    path = Path(path)
    name = source_name or path.name
    if not path.is_file():
        raise ValueImportError(name, [RowError(name, 1, "", "the file does not exist")])
    if path.suffix.lower() in (".xls", ".ods"):
        raise ValueImportError(name, [RowError(name, 1, "", f"{path.suffix} files are not read; "
                                                            "save the sheet as .xlsx or CSV")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_xlsx(path, name, sheet, progress)
    else:
        table = read_csv(path, name, progress)
    return _check_table(table, catalog, areas, name, progress, options)


def _check_table(table: Table, catalog: Catalog, areas: AreaIndex, name: str,
                 progress: Progress | None = None, options: ImportOptions | None = None) -> ParsedValues:
    options = options or ImportOptions()
    errors, warnings, notes = _Errors(name), _Errors(name), []
    lookup = _kpi_lookup(catalog)
    if getattr(table, "encoding", "") and not table.encoding.startswith("UTF-8"):
        notes.append(f"the text was read as {table.encoding}")
    columns = _map_columns(table, lookup, errors, options, warnings, notes)
    if errors:
        raise errors.error(0)
    roles = columns.roles
    header = {role: table.header[index] for role, index in roles.items()}
    long = "kpi" in roles
    area_roles = [role for role in AREA_ROLES if role in roles]

    # ---- drop blank rows (they keep their number: a spreadsheet shows them)
    cells, rows = table.cells, table.row_numbers
    used = [*roles.values(), *columns.kpi_columns]
    blank = _blank_rows(cells, used, roles["kpi"] if long else roles[area_roles[0]])
    if blank.any():
        cells, rows = cells.iloc[np.flatnonzero(~blank)].reset_index(drop=True), rows[~blank]
    rows_read = len(cells)
    if progress:
        progress("check", 0, 4)

    # ---- entries: one per value, with its KPI as an index into the KPIs sorted by id
    kpis = sorted(catalog.kpis, key=lambda kpi: kpi.id)
    kpi_rank = {kpi.id: rank for rank, kpi in enumerate(kpis)}
    if long:
        entries = _long_entries(cells, roles, header, kpi_rank, lookup, rows, errors)
    else:
        entries = _wide_entries(cells, table.header, columns.kpi_columns, kpi_rank)
    position, kpi = entries.position, entries.kpi
    entry_rows = rows[position]
    kpi_ok = kpi >= 0
    kpi = np.where(kpi_ok, kpi, len(kpis))  # the last entry of the arrays below stands for "unknown"
    kpi_ids = np.array([k.id for k in kpis] + [""], dtype=object)
    kpi_type = np.array([PERIOD_TYPE_CODES[k.period_type.value] for k in kpis] + [""], dtype=object)
    kpi_finest = np.array([LEVEL_RANK[k.finest_level] for k in kpis] + [9])

    # ---- areas: each distinct combination of area cells is resolved once
    area_codes, area_uniques = _factorize_rows(pd.DataFrame({role: cells[roles[role]] for role in area_roles}))
    resolved = [_resolve_area(areas, dict(zip(area_roles, values)), header)
                for values in area_uniques.itertuples(index=False, name=None)]
    resolved = _with_area_hints(areas, resolved, area_uniques, area_roles)
    area_ok_of = np.array([r.ref is not None for r in resolved] or [True], dtype=bool)
    area_column_of = np.array([r.column for r in resolved] or [""], dtype=object)
    bad_rows = np.flatnonzero(~area_ok_of[area_codes])
    if bad_rows.size:  # once per file row, though a wide row carries several values
        reason_of = np.array([r.reason for r in resolved], dtype=object)
        errors.add(rows[bad_rows], area_column_of[area_codes[bad_rows]], reason_of[area_codes[bad_rows]])
    # rank of each distinct area in the store's key order: level (code length), then code
    code_of = np.array([r.ref.code if r.ref else "" for r in resolved] or [""], dtype=object)
    sorted_codes = sorted(set(code_of), key=lambda code: (len(code), code))
    area_rank_of = pd.Series(code_of).map({code: rank for rank, code in enumerate(sorted_codes)}).to_numpy()
    level_of = np.array([LEVEL_RANK[r.ref.level] if r.ref else 0 for r in resolved] or [0])
    entry_area = area_codes[position]
    area_ok = area_ok_of[entry_area]

    too_fine = np.flatnonzero(area_ok & kpi_ok & (level_of[entry_area] > kpi_finest[kpi]))
    if too_fine.size:
        level_name = {rank: level for level, rank in LEVEL_RANK.items()}
        pairs = pd.DataFrame({"kpi": kpi[too_fine], "area": entry_area[too_fine]})
        reason_of = {(k, a): f"KPI {kpi_ids[k]!r} is published down to {level_name[kpi_finest[k]]} level; "
                             f"{code_of[a]} is a {level_name[level_of[a]]}"
                     for k, a in pairs.drop_duplicates().itertuples(index=False, name=None)}
        errors.add(entry_rows[too_fine], area_column_of[entry_area[too_fine]],
                   np.array([reason_of[pair] for pair in zip(kpi[too_fine], entry_area[too_fine])], dtype=object))
    if progress:
        progress("check", 1, 4)

    # ---- periods: each distinct (text, type the KPI needs) is parsed once
    period_codes, period_texts = _unique_texts(cells[roles["period"]])
    pair_codes, pair_first = pd.factorize(period_codes[position] * (len(kpi_type) + 1) + kpi)
    parsed: list[tuple[Period, bool, bool] | str] = []
    calendar_years: set[int] = set()
    for pair in pair_first:
        text, kind = period_texts[pair // (len(kpi_type) + 1)], kpi_type[pair % (len(kpi_type) + 1)]
        try:
            result = parse_import_period(text, kind or None, options.years)
            parsed.append((result.period, result.preliminary, result.revised))
            if result.calendar_year:
                calendar_years.add(result.calendar_year)
        except ValueError as exc:
            reason = str(exc)
            if "is needed" in reason:  # name the KPI that needs another kind of period
                kpi_id = kpi_ids[pair % (len(kpi_type) + 1)]
                reason = f"KPI {kpi_id!r} is reported by {KIND_WORDS[kind]}: {reason}"
            parsed.append(reason)
    if calendar_years:
        first = min(calendar_years)
        notes.append(f"{len(calendar_years)} calendar year(s) ({first}"
                     + (f"-{max(calendar_years)}" if len(calendar_years) > 1 else "") + "): "
                     + CALENDAR_RULE_EN.format(cy=first, prev=first - 1))
    period_ok_of = np.array([not isinstance(p, str) for p in parsed] or [True], dtype=bool)
    period_ok = period_ok_of[pair_codes]
    bad = np.flatnonzero(~period_ok)
    if bad.size:
        reason_of = np.array([p if isinstance(p, str) else "" for p in parsed], dtype=object)
        problems = pd.DataFrame({"row": entry_rows[bad], "reason": reason_of[pair_codes[bad]]}).drop_duplicates()
        errors.add(problems["row"].to_numpy(), header["period"], problems["reason"].to_numpy(dtype=object))
    periods = [p[0] if not isinstance(p, str) else Period.year(2500) for p in parsed]
    period_sort = sorted(set(periods), key=lambda p: (p.period_type, p.fiscal_year, p.period_no))
    rank_of_period = {period: rank for rank, period in enumerate(period_sort)}
    period_rank_of = np.array([rank_of_period[p] for p in periods] or [0], dtype=np.int64)
    preliminary = np.array([p[1] if not isinstance(p, str) else False for p in parsed] or [False])[pair_codes]
    revised = np.array([p[2] if not isinstance(p, str) else False for p in parsed] or [False])[pair_codes]
    if progress:
        progress("check", 2, 4)

    # ---- numbers, source, flags
    values, empty, bad_value = parse_numbers(entries.text, wide=not long)
    errors.add(entry_rows[empty], entries.column[empty], "no value given")
    if bad_value.any():
        shown = entries.text.to_numpy(dtype=object)[bad_value]
        errors.add(entry_rows[bad_value], entries.column[bad_value],
                   np.array([f"{str(text).strip()!r} is not a number" for text in shown], dtype=object))
    targets = np.full(len(position), np.nan)
    if "target" in roles:
        target_values, _, bad_target = parse_numbers(cells[roles["target"]])
        if bad_target.any():
            shown = cells[roles["target"]].to_numpy(dtype=object)[bad_target]
            errors.add(rows[bad_target], header["target"],
                       np.array([f"{str(text).strip()!r} is not a number" for text in shown], dtype=object))
        targets = target_values[position]
    sources = np.full(len(position), None, dtype=object)
    if "source" in roles:
        source_codes, source_texts = _unique_texts(cells[roles["source"]])
        too_long = np.array([len(text) > SOURCE_MAX_LENGTH for text in source_texts] or [False])[source_codes]
        errors.add(rows[too_long], header["source"], f"longer than {SOURCE_MAX_LENGTH} characters")
        sources = np.array([text or None for text in source_texts] or [None], dtype=object)[source_codes][position]
    if "flag" in roles:
        flag_codes, flag_texts = _unique_texts(cells[roles["flag"]])
        flags = [FLAG_WORDS.get(header_key(text)) for text in flag_texts]
        bad_flag = np.array([f is None for f in flags] or [False])[flag_codes]
        errors.add(rows[bad_flag], header["flag"], "flag must be p (preliminary), r (revised) or empty")
        preliminary = preliminary | np.array([bool(f and f[0]) for f in flags] or [False])[flag_codes][position]
        revised = revised | np.array([bool(f and f[1]) for f in flags] or [False])[flag_codes][position]
        errors.add(entry_rows[preliminary & revised], header["flag"], "marked both preliminary and revised")
    _plausible(values, targets, kpi, kpi_ok, kpis, level_of[entry_area], entry_rows, entries.column,
               header.get("target", ""), errors, warnings)
    if options.strict and warnings:  # the user asked that anything implausible refuse the file
        for rows_, columns_, reasons_ in zip(warnings.rows, warnings.columns, warnings.reasons):
            errors.add(rows_, columns_, reasons_)
    if progress:
        progress("check", 3, 4)

    # ---- one key per entry (KPI, area, period ranks): duplicates, then the sort order
    good = kpi_ok & area_ok & period_ok & ~empty & ~bad_value
    n_areas, n_periods = len(sorted_codes), max(1, len(period_sort))
    key = (kpi * n_areas + area_rank_of[entry_area]) * n_periods + period_rank_of[pair_codes]
    drop = np.zeros(len(key), dtype=bool)
    repeated = np.flatnonzero(pd.Series(np.where(good, key, -1 - np.arange(len(key)))).duplicated(keep=False))
    if repeated.size:
        drop = _duplicates(repeated, key, entry_rows, entries.column, values, targets, sources, preliminary,
                           revised, errors)
    if errors:
        raise errors.error(rows_read)
    if progress:
        progress("check", 4, 4)

    # ---- the values, one row per key, sorted by key
    keep = np.flatnonzero(~drop)
    keep = keep[np.argsort(key[keep], kind="stable")]
    period_of = pair_codes[keep]
    frame = pd.DataFrame({  # text columns stay object: no per-cell string-dtype conversion
        "kpi_id": pd.Series(kpi_ids[kpi[keep]], dtype=object),
        "area_code": pd.Series(code_of[entry_area[keep]], dtype=object),
        "period_type": pd.Series(np.array([p.period_type for p in periods], dtype=object)[period_of], dtype=object),
        "fiscal_year": np.array([p.fiscal_year for p in periods], dtype=np.int64)[period_of],
        "period_no": np.array([p.period_no for p in periods], dtype=np.int64)[period_of],
        "value": values[keep],
        "target": targets[keep],
        "source": pd.Series(sources[keep], dtype=object),
        "is_preliminary": preliminary[keep].astype(bool),
        "is_revised": revised[keep].astype(bool),
        "is_demo": np.zeros(keep.size, dtype=bool),
    }, columns=list(VALUE_COLUMNS))
    found = warnings.error(rows_read).errors if warnings else []
    return ParsedValues(frame, rows_read, name, "long" if long else "wide", int(drop.sum()), found, notes)


KIND_WORDS = {"Y": "fiscal year", "Q": "quarter", "M": "month"}


def _plausible(values: np.ndarray, targets: np.ndarray, kpi: np.ndarray, kpi_ok: np.ndarray, kpis: list[KPI],
               levels: np.ndarray, rows: np.ndarray, columns: np.ndarray, target_column: str, errors: _Errors,
               warnings: _Errors) -> None:
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
                reasons = np.array([f"{what} {_number(numbers[i])} is outside the valid range of KPI "
                                    f"{kpis[kpi[i]].id!r}: {_bounds(kpis[kpi[i]])}" for i in outside], dtype=object)
                errors.add(rows[outside], where[outside] if where is not None else target_column, reasons)
        province = levels == LEVEL_RANK["province"]
        judged = kpi_ok & ~np.isnan(values) & (province | ~sums[kpi])
        zero = np.flatnonzero(judged & province & (values == 0) & zero_bad[kpi])
        if zero.size:
            warnings.add(rows[zero], columns[zero], np.array([
                f"0 is implausible for KPI {kpis[kpi[i]].id!r} in a province (typical "
                f"{_number(kpis[kpi[i]].typical_range[0])}-{_number(kpis[kpi[i]].typical_range[1])}); if it means "
                "'not surveyed' or 'no data', leave the cell empty" for i in zero], dtype=object))
        unusual = np.flatnonzero(judged & (values != 0) & ((values < typical_low[kpi]) | (values > typical_high[kpi])))
        if unusual.size:
            warnings.add(rows[unusual], columns[unusual], np.array([
                f"{_number(values[i])} is outside the typical range of KPI {kpis[kpi[i]].id!r} "
                f"({_number(kpis[kpi[i]].typical_range[0])}-{_number(kpis[kpi[i]].typical_range[1])} "
                f"{kpis[kpi[i]].unit.en}); check the unit and the figure" for i in unusual], dtype=object))


def _number(value: float) -> str:
    return f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.3g}"


def _bounds(kpi: KPI) -> str:
    low, high = kpi.valid_bounds
    unit = kpi.unit.en
    if high >= 1e12:
        return f"at least {_number(low)} {unit}" if low > -1e12 else f"at most 1e12 in size ({unit})"
    return f"{_number(low)} to {_number(high)} {unit}"


def _with_area_hints(areas: AreaIndex, resolved: list, uniques: pd.DataFrame, roles: list[str]) -> list:
    """A 'did you mean' for the first unknown area names (close names at the same level)."""
    hinted, out = 0, []
    for result, values in zip(resolved, uniques.itertuples(index=False, name=None)):
        if result.ref is None and hinted < SUGGESTIONS_FOR and result.reason.startswith("no "):
            texts = dict(zip(roles, values))
            role = next((r for r in reversed(roles) if str(texts.get(r, "")).strip()), None)
            if role is not None:
                hint = areas.suggest(str(texts[role]).strip(), None if role == "area" else role)
                if hint:
                    result = result._replace(reason=f"{result.reason}; did you mean {hint}?")
                hinted += 1
        out.append(result)
    return out


def _duplicates(repeated: np.ndarray, key: np.ndarray, rows: np.ndarray, columns: np.ndarray, values: np.ndarray,
                targets: np.ndarray, sources: np.ndarray, preliminary: np.ndarray, revised: np.ndarray,
                errors: _Errors) -> np.ndarray:
    """Entries repeating an earlier one: exact repeats are dropped (returned mask), others are errors."""
    group = pd.DataFrame({
        "key": key[repeated], "row": rows[repeated], "value": values[repeated],
        "target": np.nan_to_num(targets[repeated], nan=np.inf),  # so that two missing targets are equal
        "source": pd.Series(sources[repeated], dtype=object).fillna("\x00").to_numpy(dtype=object),
        "p": preliminary[repeated], "r": revised[repeated],
    }, index=repeated).sort_values(["key", "row"], kind="stable")
    first = group.groupby("key", sort=False).transform("first")
    later = (group["row"] != first["row"]).to_numpy()
    same = np.logical_and.reduce([(group[c] == first[c]).to_numpy() for c in ("value", "target", "source", "p", "r")])
    conflict = later & ~same
    where = group.index.to_numpy()
    errors.add(group["row"].to_numpy()[conflict], columns[where[conflict]],
               np.array([f"same KPI, area and period as row {r} with a different value"
                         for r in first["row"].to_numpy()[conflict]], dtype=object))
    drop = np.zeros(len(key), dtype=bool)
    drop[where[later & same]] = True
    return drop
