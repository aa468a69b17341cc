"""A sheet's table before it is written (columns of cells, each cell with its Excel number
format) and the readers that turn a report's frame into such columns: KPI values rounded to the
KPI's decimals, scores to 2, shares as percentages, periods as labels, codes as words."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from data.query import period_label
from data.rules.catalog import get_catalog
from layouts.text.format import is_missing
from layouts.text.i18n import t
from reports.xlsx.words import number_format, readable

SCORE_DECIMALS = 2
PERCENT_DECIMALS = 1  # coverage and completeness, as percentages
RANKS = ("rank_cluster", "rank_country")


class Table:
    """Columns of cells (header -> values) with an Excel number format per cell."""

    def __init__(self, rows: int, *, filters: bool = True):
        self.rows = rows
        self.filters = filters  # Excel's filter buttons on the header row
        self.columns: dict[str, list] = {}
        self.formats: dict[str, list[str | None]] = {}
        self.max_width: dict[str, int] = {}

    def add(
        self,
        header: str,
        values: Iterable,
        formats: str | Sequence[str | None] | None = None,
        *,
        max_width: int | None = None,
    ) -> None:
        """A column; `max_width` keeps a column of long repeated text (the goal's name) from taking
        the screen: the whole text stays in the cell."""
        cells = [_cell(v) for v in values]
        if len(cells) != self.rows:
            raise ValueError(f"column {header!r} has {len(cells)} cells, the table {self.rows} rows")
        self.columns[header] = cells
        self.formats[header] = list(formats) if isinstance(formats, (list, tuple)) else [formats] * self.rows
        if max_width:
            self.max_width[header] = max_width

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)


def _cell(value):
    """A value as a cell: None for missing, plain Python numbers, tuples joined."""
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value) if value else None
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy / pandas scalars
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def _in_language(stem: str, language: str) -> str:
    """The column holding `stem` (a KPI's name, unit or owner) in `language`: `unit_en` for
    English, else `unit_th`."""
    return f"{stem}_en" if language == "en" else f"{stem}_th"


def _column(frame: pd.DataFrame, name: str) -> list:
    return list(frame[name]) if name in frame.columns else [None] * len(frame)


def _rounded(values, decimals: Sequence[int]) -> list:
    return [None if is_missing(v) else round(float(v), int(d)) for v, d in zip(values, decimals)]


def _decimals(frame: pd.DataFrame) -> list[int]:
    """Each row's KPI decimals: the frame's own `decimals` column, else the catalog's."""
    by_id = get_catalog().by_id()
    out = []
    for row_decimals, kpi_id in zip(_column(frame, "decimals"), _column(frame, "kpi_id")):
        if not is_missing(row_decimals):
            out.append(int(row_decimals))
        elif isinstance(kpi_id, str) and kpi_id in by_id:
            out.append(int(by_id[kpi_id].decimals))
        else:
            out.append(SCORE_DECIMALS)
    return out


def _periods(frame: pd.DataFrame, language: str) -> list[str | None]:
    out = []
    for row_type, year, number in zip(
        _column(frame, "period_type"), _column(frame, "fiscal_year"), _column(frame, "period_no")
    ):
        if is_missing(year) or not isinstance(row_type, str):
            out.append(None)
        else:
            out.append(period_label(row_type, year, 0 if is_missing(number) else number, language))
    return out


def _words(values, language: str) -> list:
    return [readable(v, language) for v in values]


def _ints(values) -> list:
    return [None if is_missing(v) else int(v) for v in values]


def _scores(values) -> list:
    return [None if is_missing(v) else round(float(v), SCORE_DECIMALS) for v in values]


def _percent(values) -> list:
    """Shares 0–1 as percentages."""
    return [None if is_missing(v) else round(float(v) * 100.0, PERCENT_DECIMALS) for v in values]


def _kpi_names(lists, language: str) -> list:
    """Tuples of KPI ids as the KPIs' names."""
    by_id = get_catalog().by_id()
    out = []
    for ids in lists:
        ids = tuple(ids) if isinstance(ids, (tuple, list)) else ()
        out.append(", ".join(by_id[i].name.get(language) if i in by_id else str(i) for i in ids) or None)
    return out


def _ranks_of(frame: pd.DataFrame) -> dict[str, Sequence]:
    """The frame's rank columns (in the cluster, in the country) it has."""
    return {rank: frame[rank] for rank in RANKS if rank in frame.columns}


def _rank_columns(table: Table, ranks: dict[str, Sequence], language: str) -> None:
    """The ranks in the cluster and in the country, each where any area has one."""
    for rank, values in ranks.items():
        if not all(is_missing(v) for v in values):
            table.add(t(rank, language), _ints(values), number_format(0))
