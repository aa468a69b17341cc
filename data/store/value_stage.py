"""A values frame made ready for the store: the value columns with the store's types, checked
(no row without a value, one row per key), and loaded into a temporary staging table (COPY on
PostgreSQL, one executemany on SQLite) for `value_merge` to merge with the stored values.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    MetaData,
    SmallInteger,
    String,
    Table,
)

from data.store.bulk import insert_rows
from data.store.schema import VALUE_COLUMNS

KEY_COLUMNS = ("kpi_id", "area_code", "period_type", "fiscal_year", "period_no")
COMPARED_COLUMNS = ("value", "target", "source", "is_preliminary", "is_revised", "is_demo")
FLAG_COLUMNS = ("is_preliminary", "is_revised", "is_demo")
STAGE_NAME = "kpi_value_stage"
STAGE_TYPES = {
    "kpi_id": String(64),
    "area_code": String(8),
    "period_type": String(1),
    "fiscal_year": SmallInteger(),
    "period_no": SmallInteger(),
    "value": Float(),
    "target": Float(),
    "source": String(200),
    "is_preliminary": Boolean(),
    "is_revised": Boolean(),
    "is_demo": Boolean(),
}
NUMERIC_TYPES = {"fiscal_year": np.int64, "period_no": np.int64, "value": np.float64, "target": np.float64}


def normalised(frame: pd.DataFrame, check_keys: bool) -> pd.DataFrame:
    """The value columns with the types the store expects (converting only what differs)."""
    missing = [column for column in VALUE_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"the values frame lacks the columns {', '.join(missing)}")
    columns = {name: _typed(name, frame[name]).to_numpy() for name in VALUE_COLUMNS}
    out = pd.DataFrame(columns, columns=list(VALUE_COLUMNS))
    if out["source"].isna().any():
        out["source"] = out["source"].where(out["source"].notna(), None)
    if out["value"].isna().any():
        raise ValueError("the values frame has rows without a value")
    if check_keys and out.duplicated(subset=list(KEY_COLUMNS)).any():
        raise ValueError("the values frame has two rows for the same KPI, area and period")
    return out


def _typed(name: str, column: pd.Series) -> pd.Series:
    """One value column with the type the store expects: flags boolean (missing: False), target
    a number, years, periods and values numbers, the codes and the source objects."""
    if name in FLAG_COLUMNS and column.dtype != np.bool_:
        return column.fillna(False).astype(bool)
    if name == "target" and column.dtype != np.float64:
        return pd.to_numeric(column, errors="raise").astype(np.float64)
    if name in NUMERIC_TYPES and column.dtype != NUMERIC_TYPES[name]:
        return column.astype(NUMERIC_TYPES[name])
    if name not in NUMERIC_TYPES and name not in FLAG_COLUMNS and column.dtype != object:
        return column.astype(object)
    return column


def constant_columns(frame: pd.DataFrame) -> dict[str, object]:
    """Optional columns holding a single value in every row: no target, no source, one flag value."""
    constants: dict[str, object] = {}
    if frame["target"].isna().all():
        constants["target"] = None
    if frame["source"].isna().all():
        constants["source"] = None
    for name in FLAG_COLUMNS:
        flags = frame[name].to_numpy()
        if not flags.any():
            constants[name] = False
        elif flags.all():
            constants[name] = True
    return constants


def stage_table(columns: list[str]) -> Table:
    """The temporary staging table with the given value columns."""
    return Table(STAGE_NAME, MetaData(), *(Column(name, STAGE_TYPES[name]) for name in columns), prefixes=["TEMPORARY"])


def stage_rows(frame: pd.DataFrame, columns: list[str], flags_as_int: bool) -> Iterator[tuple]:
    """The frame as tuples of plain Python values, None for a missing target.

    For sqlite3, booleans become 0/1: it binds exact int, float, str and None fast, and
    anything else through a slow adapter lookup.
    """
    lists = []
    for name in columns:
        series = frame[name]
        if series.dtype == np.bool_ and flags_as_int:
            lists.append(series.to_numpy().astype(np.int64).tolist())
        elif name == "target":
            lists.append([None if v != v else v for v in series.tolist()])
        else:
            lists.append(series.tolist())
    return zip(*lists)


def insert_stage_rows(connection: Connection, stage: Table, frame: pd.DataFrame) -> None:
    """The frame into the staging table: COPY on PostgreSQL, one executemany on SQLite."""
    columns = [column.name for column in stage.columns]
    flags_as_int = connection.dialect.name != "postgresql"
    insert_rows(connection, stage, columns, stage_rows(frame, columns, flags_as_int=flags_as_int))


def staged(connection: Connection, frame: pd.DataFrame) -> tuple[Table, dict[str, object]]:
    """The normalised frame in a fresh staging table; return the table and the columns left
    out of it because they hold one value throughout (no targets, no flags: the usual case)."""
    constants = constant_columns(frame)
    stage = stage_table([name for name in VALUE_COLUMNS if name not in constants])
    stage.drop(connection, checkfirst=True)
    stage.create(connection)
    insert_stage_rows(connection, stage, frame)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {stage.name}")
    return stage, constants
