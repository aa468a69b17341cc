"""The area of each row of a values sheet: named by code or name in one or more area columns,
resolved once per distinct combination of area cells, at a level the KPI is published at."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from data.files.columns import SUGGESTIONS_FOR
from data.files.entries import KpiTable, Sheet
from data.files.headers import AREA_ROLES
from data.files.tables import Problems
from data.rules.areas import AreaIndex, AreaRef

LEVEL_RANK = {"province": 1, "district": 2, "subdistrict": 3}


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
        return _AreaResult(
            None,
            column,
            f"{within.code} is a {within.level}; values are imported for provinces, districts or subdistricts",
        )
    return _AreaResult(within, column)


def _inside(areas: AreaIndex, ref: AreaRef, ancestor: AreaRef) -> bool:
    current: AreaRef | None = ref
    while current is not None and current.parent_code:
        if current.parent_code == ancestor.code:
            return True
        current = areas.by_code.get(current.parent_code)
    return False


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


class AreaCheck(NamedTuple):
    """The areas of a sheet's entries: per entry an index into the distinct areas, and per distinct area
    what the store keys and the messages need."""

    entry_area: np.ndarray  # per entry: its distinct area
    ok: np.ndarray  # per entry: the area is valid
    code_of: np.ndarray  # per distinct area: its code ("" when not valid)
    column_of: np.ndarray  # per distinct area: the column that named it, or that is wrong
    level_of: np.ndarray  # per distinct area: the rank of its level (0 when not valid)
    rank_of: np.ndarray  # per distinct area: its rank in the store's key order (level, then code)
    count: int  # distinct area codes


def _resolve_areas(areas: AreaIndex, sheet: Sheet) -> tuple[np.ndarray, list[_AreaResult]]:
    """(for each row, its distinct combination of area cells; the area each combination names),
    with a 'did you mean' for the first unknown names."""
    area_roles = [role for role in AREA_ROLES if role in sheet.roles]
    area_codes, area_uniques = _factorize_rows(
        pd.DataFrame({role: sheet.cells[sheet.roles[role]] for role in area_roles})
    )
    resolved = [
        _resolve_area(areas, dict(zip(area_roles, values)), sheet.header)
        for values in area_uniques.itertuples(index=False, name=None)
    ]
    return area_codes, _with_area_hints(areas, resolved, area_uniques, area_roles)


def check_areas(areas: AreaIndex, sheet: Sheet, position: np.ndarray, errors: Problems) -> AreaCheck:
    """Resolve each distinct combination of area cells once; a row naming no valid area is an error
    (once per file row, though a wide row carries several values)."""
    area_codes, resolved = _resolve_areas(areas, sheet)
    area_ok_of = np.array([r.ref is not None for r in resolved] or [True], dtype=bool)
    area_column_of = np.array([r.column for r in resolved] or [""], dtype=object)
    bad_rows = np.flatnonzero(~area_ok_of[area_codes])
    if bad_rows.size:  # once per file row, though a wide row carries several values
        reason_of = np.array([r.reason for r in resolved], dtype=object)
        errors.add(sheet.rows[bad_rows], area_column_of[area_codes[bad_rows]], reason_of[area_codes[bad_rows]])
    # rank of each distinct area in the store's key order: level (code length), then code
    code_of = np.array([r.ref.code if r.ref else "" for r in resolved] or [""], dtype=object)
    sorted_codes = sorted(set(code_of), key=lambda code: (len(code), code))
    area_rank_of = pd.Series(code_of).map({code: rank for rank, code in enumerate(sorted_codes)}).to_numpy()
    level_of = np.array([LEVEL_RANK[r.ref.level] if r.ref else 0 for r in resolved] or [0])
    entry_area = area_codes[position]
    return AreaCheck(
        entry_area, area_ok_of[entry_area], code_of, area_column_of, level_of, area_rank_of, len(sorted_codes)
    )


def check_levels(
    area: AreaCheck, kpi: np.ndarray, kpi_ok: np.ndarray, kpis: KpiTable, rows: np.ndarray, errors: Problems
) -> None:
    """An entry for an area finer than its KPI is published at is an error."""
    entry_area = area.entry_area
    too_fine = np.flatnonzero(area.ok & kpi_ok & (area.level_of[entry_area] > kpis.finest[kpi]))
    if too_fine.size:
        level_name = {rank: level for level, rank in LEVEL_RANK.items()}
        pairs = pd.DataFrame({"kpi": kpi[too_fine], "area": entry_area[too_fine]})
        reason_of = {
            (k, a): f"KPI {kpis.ids[k]!r} is published down to {level_name[kpis.finest[k]]} level; "
            f"{area.code_of[a]} is a {level_name[area.level_of[a]]}"
            for k, a in pairs.drop_duplicates().itertuples(index=False, name=None)
        }
        errors.add(
            rows[too_fine],
            area.column_of[entry_area[too_fine]],
            np.array([reason_of[pair] for pair in zip(kpi[too_fine], entry_area[too_fine])], dtype=object),
        )
