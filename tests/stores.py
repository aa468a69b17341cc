"""The stores the tests build, in one place.

- `initialise`: a store as `poc init` leaves it (areas, clusters, the catalog; no values);
- `build_demo_store` (and its parts `demo_frame`, `write_demo`): the demo store the pages, the
  wall, the reports and the servers are tested on, as of 21 Nov 2026 (AS_OF): the demo values of
  every province and of the districts of Chiang Mai and Bangkok, marked as demo (the conftest
  fixtures `demo_url`, `demo_store` and `live_server` give each module one);
- stores a POC really has: empty, a few KPIs, old fiscal years only, gappy, one province. Values
  are the demo generator's (plausible numbers, consistent parts of ratios) for a chosen history,
  marked as real (not demo), then `cut` down to the subsets asked for; `write_store` empties the
  store's values and writes the frame as one logged import, as `poc import-values` would;
- `postgres_database`: a throw-away database on the local PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from functools import lru_cache

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, delete, text
from sqlalchemy.engine import make_url

from data.store.areas import area_frame
from data.store.demo import DemoPlan, demo_plan, generate_demo_frame
from data.store.engine import make_engine
from data.store.schema import (
    Boundary,
    ImportLog,
    KpiRollup,
    KpiStatus,
    KpiValue,
    KpiValueRevision,
)
from data.store.setup import init_store, logged_import
from data.store.values import write_values
from settings import PROJECT_ROOT

CLUSTERS = PROJECT_ROOT / "data" / "clusters.yaml"
AS_OF = dt.date(2026, 11, 21)  # the demo store's day: pages asked for ?period=2569 (FY 2569) do not depend on today
DISTRICT_PROVINCES = ("50", "10")  # Chiang Mai and Bangkok: the provinces whose districts carry values too
FIRST_YEAR, LAST_YEAR = 2556, 2569  # BE fiscal years of the history the subsets are cut from
HISTORY_AS_OF = dt.date(2026, 11, 21)  # the last period of that history: Oct 2026 (FY 2570 month 1)
POSTGRES_ADMIN_URL = os.environ.get("POC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


# =========================================================================== an initialised store


def initialise(engine: Engine, catalog) -> Engine:
    """`engine`'s store as `poc init` leaves it: areas, clusters and the catalog, no values."""
    init_store(engine, catalog, CLUSTERS)
    return engine


# =========================================================================== the demo store


def demo_frame(engine: Engine, catalog, *, districts_of=DISTRICT_PROVINCES, subdistricts_of=()) -> pd.DataFrame:
    """The demo generator's values as of AS_OF for every province, the districts of the provinces
    `districts_of` and the subdistricts of the districts `subdistricts_of` (of `engine`'s areas)."""
    with engine.connect() as connection:
        areas = area_frame(connection)
    frame = generate_demo_frame(catalog, areas, demo_plan(AS_OF))
    codes = frame["area_code"]
    keep = (
        (codes.str.len() == 2)
        | ((codes.str.len() == 4) & codes.str[:2].isin(list(districts_of)))
        | ((codes.str.len() == 6) & codes.str[:4].isin(list(subdistricts_of)))
    )
    return frame[keep].reset_index(drop=True)


def write_demo(engine: Engine, frame: pd.DataFrame) -> None:
    """`frame` written as one logged demo import, as `poc demo` would."""
    with logged_import(engine, "demo", "test demo", "tester") as (connection, counts):
        result = write_values(connection, frame.reset_index(drop=True), counts["import_id"], "tester")
        counts.update(rows_read=len(frame), **result)


def build_demo_store(url: str, catalog, **which) -> None:
    """The demo store at `url`: initialised, with the demo values of every province and of the
    districts of Chiang Mai and Bangkok (`which`: other areas, as `demo_frame` takes them)."""
    engine = initialise(make_engine(url), catalog)
    try:
        write_demo(engine, demo_frame(engine, catalog, **which))
    finally:
        engine.dispose()


# =========================================================================== stores a POC really has


@lru_cache(maxsize=2)
def history_frame(catalog, area_rows: tuple) -> pd.DataFrame:
    """Every KPI of every province (and the districts of DISTRICT_PROVINCES), FY 2556 to Oct 2026."""
    areas = pd.DataFrame(
        list(area_rows), columns=["code", "level", "name_th", "name_en", "parent_code", "province_code"]
    )
    frame = generate_demo_frame(catalog, areas, DemoPlan(FIRST_YEAR, LAST_YEAR + 1, HISTORY_AS_OF))
    codes = frame["area_code"]
    keep = (codes.str.len() == 2) | ((codes.str.len() == 4) & codes.str[:2].isin(DISTRICT_PROVINCES))
    return frame[keep].assign(is_demo=False).reset_index(drop=True)


def source(engine, catalog) -> pd.DataFrame:
    with engine.connect() as connection:
        areas = area_frame(connection)
    # provinces, and the districts and subdistricts of a few (the generator derives each level
    # from the one above, so it needs every level to be non-empty)
    areas = areas[(areas["level"] == "province") | areas["province_code"].isin(DISTRICT_PROVINCES)]
    rows = tuple(
        map(
            tuple,
            areas[["code", "level", "name_th", "name_en", "parent_code", "province_code"]].itertuples(index=False),
        )
    )
    return history_frame(catalog, rows)


def cut(
    frame: pd.DataFrame,
    *,
    kpis=None,
    provinces=None,
    years=None,
    districts: bool = True,
    drop_fraction: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """The rows of `frame` for the KPIs, provinces (and their districts) and fiscal years given
    (None: all), without district rows unless `districts`, less a random `drop_fraction` of them."""
    keep = pd.Series(True, index=frame.index)
    if kpis is not None:
        keep &= frame["kpi_id"].isin(list(kpis))
    if provinces is not None:
        keep &= frame["area_code"].str[:2].isin(list(provinces))
    if years is not None:
        keep &= frame["fiscal_year"].isin(list(years))
    if not districts:
        keep &= frame["area_code"].str.len() == 2
    out = frame[keep]
    if drop_fraction and len(out):
        out = out.sample(frac=1.0 - drop_fraction, random_state=seed)
    return out.reset_index(drop=True)


def empty_values(engine) -> None:
    with engine.begin() as connection:
        for table in (KpiValueRevision, KpiValue, KpiRollup, KpiStatus, Boundary, ImportLog):
            connection.execute(delete(table))


def write_store(engine, catalog, frame: pd.DataFrame) -> None:
    """The store holding exactly `frame`'s values (nothing when it is empty)."""
    from data.query import cache

    empty_values(engine)
    if len(frame):
        with logged_import(engine, "values", "test store", "tester") as (connection, counts):
            result = write_values(
                connection, frame.reset_index(drop=True), counts["import_id"], "tester", catalog=catalog
            )
            counts.update(rows_read=len(frame), **{k: result[k] for k in ("inserted", "revised", "unchanged")})
    cache.invalidate(engine)


# =========================================================================== PostgreSQL


def postgres_database():
    """Create a throw-away database on the local server; yield its URL; drop it."""
    if POSTGRES_ADMIN_URL == "skip":
        pytest.skip("PostgreSQL tests disabled by POC_TEST_POSTGRES_URL=skip")
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"poc_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
