"""The values a sheet holds, one entry per value: its file row, its KPI and its value text.

A long sheet has one value per row (a KPI id column and a value column); a wide sheet one
column per KPI, melted here into one entry per non-empty cell.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from data.files.columns import find_kpi
from data.files.number_text import NO_FIGURE
from data.files.tables import Problems
from data.rules.catalog import KPI


class Sheet(NamedTuple):
    """The data rows of a table that are not blank, and the column of each role."""

    cells: pd.DataFrame
    rows: np.ndarray  # the rows' spreadsheet numbers
    roles: dict[str, int]  # role -> column index
    header: dict[str, str]  # role -> column name

    @property
    def long(self) -> bool:
        """One value per row (a KPI id column), not one column per KPI."""
        return "kpi" in self.roles


class KpiTable(NamedTuple):
    """The catalog's KPIs sorted by id, and their properties as arrays indexed like `Entries.kpi`
    (the last item stands for an unknown KPI)."""

    kpis: list[KPI]
    rank: dict[str, int]  # KPI id -> index
    ids: np.ndarray
    period_types: np.ndarray  # "Y", "Q", "M" ("" for an unknown KPI)
    finest: np.ndarray  # rank of the finest area level a KPI is published at


class Entries(NamedTuple):
    """One entry per value to import: which file row it comes from, its KPI and its value text."""

    position: np.ndarray  # row position in the table
    kpi: np.ndarray  # index into the catalog's KPIs sorted by id, -1 when unknown
    text: pd.Series  # the value cell
    column: np.ndarray  # the column the value is in (for messages)


def blank_rows(cells: pd.DataFrame, used: list[int], probe: int) -> np.ndarray:
    """Rows whose used cells are all empty or spaces; `probe` is a column with few distinct texts."""
    codes, uniques = pd.factorize(cells[probe])
    candidates = np.flatnonzero(np.array([not str(text).strip() for text in uniques] or [True])[codes])
    blank = np.zeros(len(cells), dtype=bool)
    if candidates.size:
        subset = cells.iloc[candidates]
        blank[candidates] = np.logical_and.reduce([subset[index].str.strip().eq("").to_numpy() for index in used])
    return blank


def long_entries(sheet: Sheet, kpi_rank: dict[str, int], lookup: dict[str, KPI], errors: Problems) -> Entries:
    """One entry per row of a long sheet; rows whose KPI id is unknown or missing are errors."""
    cells, roles, header, rows = sheet.cells, sheet.roles, sheet.header, sheet.rows
    codes, texts = pd.factorize(cells[roles["kpi"]])
    found = [find_kpi(lookup, text) for text in texts]
    rank_of = np.array([kpi_rank[kpi.id] if kpi else -1 for kpi in found] or [-1], dtype=np.int64)
    kpi = rank_of[codes]
    unknown = np.flatnonzero(kpi < 0)
    if unknown.size:
        reason_of = np.array(
            [f"unknown KPI id {str(text).strip()!r}" if str(text).strip() else "no KPI id given" for text in texts],
            dtype=object,
        )
        errors.add(rows[unknown], header["kpi"], reason_of[codes[unknown]])
    return Entries(
        np.arange(len(cells)), kpi, cells[roles["value"]], np.full(len(cells), header["value"], dtype=object)
    )


def wide_entries(
    cells: pd.DataFrame, header: list[str], kpi_columns: dict[int, KPI], kpi_rank: dict[str, int]
) -> Entries:
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
        return Entries(
            np.zeros(0, np.int64), np.zeros(0, np.int64), pd.Series([], dtype=object), np.zeros(0, dtype=object)
        )
    return Entries(
        np.concatenate(positions), np.concatenate(kpis), pd.concat(texts, ignore_index=True), np.concatenate(columns)
    )


def unique_texts(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes of a text column and its distinct texts, stripped (stripping only the distinct ones)."""
    codes, uniques = pd.factorize(column)
    return codes, [str(text).strip() for text in uniques]
