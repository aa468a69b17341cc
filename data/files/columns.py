"""What each column of a values sheet holds: a role (area, period, value ...) or a KPI.

A sheet is long (a KPI id column, one value per row) or wide (one column per KPI). Unknown
columns are refused (or left out with a warning when asked), with a "did you mean" for the
first ones; a missing area, period, value or KPI column is refused.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from data.files.headers import AREA_ROLES, COLUMN_ALIASES, ROLE_OF, header_key
from data.files.tables import Problems, Table
from data.rules.catalog import KPI, Catalog

if TYPE_CHECKING:
    from data.files.values_file import ImportOptions

SUGGESTIONS_FOR = 50  # unknown columns and areas that get a "did you mean" (the rest are only named)
# words written short in real files, spelled out before looking for a close KPI id or name
ABBREVIATIONS = {
    "hh": "household",
    "pct": "pct",
    "avg": "avg",
    "pop": "population",
    "prov": "province",
    "emp": "employment",
    "unemployed": "unemployment",
    "gdp": "gpp",
    "inc": "income",
}
KNOWN_COLUMNS = (
    "kpi_id, area, province, district, subdistrict, period, value, target, source, flag "
    "(or their Thai names), or a KPI id per column"
)


def kpi_lookup(catalog: Catalog) -> dict[str, KPI]:
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


def find_kpi(lookup: dict[str, KPI], text: str) -> KPI | None:
    """The KPI a cell or a column name gives, by id or unique name."""
    text = str(text).strip()
    return lookup.get(text.lower()) or lookup.get(header_key(text))


class Columns(NamedTuple):
    """The column of each role, and the column of each KPI in a wide sheet."""

    roles: dict[str, int]  # role -> column index
    kpi_columns: dict[int, KPI]  # wide shape: column index -> KPI


class _Header(NamedTuple):
    """What the header names say, before the checks of the whole header."""

    roles: dict[str, int]  # role -> column index
    kpi_columns: dict[int, KPI]  # column index -> KPI
    unknown: list[int]  # columns that are neither a role nor a KPI
    ignored: list[str]  # columns left out as asked


def _read_header(table: Table, lookup: dict[str, KPI], errors: Problems, options: ImportOptions) -> _Header:
    """The role or KPI of each column (after `options.column_map`); a column named twice, two
    columns of one KPI or of one role are errors."""
    found = _Header({}, {}, [], [])
    seen: dict[str, int] = {}
    row = np.array([table.header_row])
    for index, name in enumerate(table.header):
        key = header_key(name)
        if key and key in seen:  # the same column twice: which one holds the figure?
            errors.add(row, name, f"column {name!r} appears twice (columns {seen[key] + 1} and {index + 1}); keep one")
            continue
        if key:
            seen[key] = index
        if key in options.ignore:
            found.ignored.append(name)
            continue
        mapped = options.column_map.get(key)
        wanted = mapped if mapped is not None else name
        role = ROLE_OF.get(header_key(wanted))
        if role == "ignored" or (not name and not table.cells[index].astype(bool).any()):
            continue
        if role is None:
            _add_kpi_column(table, index, wanted, lookup, found, errors)
        elif role in found.roles:
            errors.add(row, name, f"two columns give the {role}: {table.header[found.roles[role]]!r} and {name!r}")
        else:
            found.roles[role] = index
    return found


def _add_kpi_column(
    table: Table, index: int, wanted: str, lookup: dict[str, KPI], found: _Header, errors: Problems
) -> None:
    """Column `index` as the column of the KPI `wanted` names, or as unknown; a second column of one KPI is an error."""
    kpi = find_kpi(lookup, wanted) if wanted else None
    if kpi is None:
        found.unknown.append(index)
    elif kpi.id in {k.id for k in found.kpi_columns.values()}:
        first = next(i for i, k in found.kpi_columns.items() if k.id == kpi.id)
        name = table.header[index]
        errors.add(
            np.array([table.header_row]),
            name,
            f"columns {table.header[first]!r} and {name!r} both give KPI {kpi.id!r}; keep one",
        )
    else:
        found.kpi_columns[index] = kpi


def _unknown_columns(
    table: Table,
    unknown: list[int],
    long: bool,
    lookup: dict[str, KPI],
    options: ImportOptions,
    errors: Problems,
    warnings: Problems,
) -> None:
    """Columns that are neither a KPI nor a known column: errors, or warnings when they are left out as asked."""
    row = np.array([table.header_row])
    for number, index in enumerate(unknown):
        shown = table.header[index] or f"column {index + 1}"
        hint = _did_you_mean(shown, lookup) if number < SUGGESTIONS_FOR else ""
        if options.ignore_unknown:
            warnings.add(row, shown, f"not a KPI or a known column: left out{hint}")
        else:
            reason = "unknown column" if long else "unknown KPI id (or unknown column)"
            errors.add(row, shown, f"{reason}{hint}")
    if unknown and not options.ignore_unknown:
        errors.add(
            row,
            "",
            f"known columns: {KNOWN_COLUMNS}; map other names with --map FILE, or leave "
            "columns out with --ignore-columns or --ignore-unknown-columns",
        )


def _missing_columns(
    table: Table, roles: dict[str, int], kpi_columns: dict[int, KPI], long: bool, errors: Problems
) -> None:
    """The columns a long or a wide sheet cannot do without, and those it cannot have."""
    row = np.array([table.header_row])
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


def map_columns(
    table: Table, lookup: dict[str, KPI], errors: Problems, options: ImportOptions, warnings: Problems, notes: list[str]
) -> Columns:
    """The role or KPI of each column of `table`, by its header name and `options`;
    problems of the header go to `errors` (or `warnings`), columns left out to `notes`."""
    found = _read_header(table, lookup, errors, options)
    if found.ignored:
        notes.append(f"columns left out as asked: {', '.join(repr(n) for n in found.ignored)}")
    long = "kpi" in found.roles
    if long and found.kpi_columns:
        for index in found.kpi_columns:
            errors.add(
                np.array([table.header_row]),
                table.header[index],
                "a KPI column in a file that also has a KPI id column; "
                "use either one row per value or one column per KPI",
            )
    _unknown_columns(table, found.unknown, long, lookup, options, errors, warnings)
    _missing_columns(table, found.roles, found.kpi_columns, long, errors)
    return Columns(found.roles, found.kpi_columns)


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
