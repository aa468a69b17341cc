"""Stores a POC really has, for the tests: empty, a few KPIs, old fiscal years only, gappy, one
province. Values are the demo generator's (plausible numbers, consistent parts of ratios) for a
chosen history, marked as real (not demo), then cut down to the subsets asked for.

`write_store` empties the store's values and writes the frame as one logged import, as
`poc import-values` would.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import uuid
from contextlib import contextmanager
from functools import lru_cache

import pytest

import pandas as pd
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from data.store.areas import area_frame
from data.store.demo import DemoPlan, generate_demo_frame
from data.rules.periods import Period
from data.store.schema import Boundary, ImportLog, KpiRollup, KpiStatus, KpiValue, KpiValueRevision
from data.store.setup import logged_import
from data.store.values import write_values

DISTRICT_PROVINCES = ("50", "10")  # the provinces whose districts carry values too
FIRST_YEAR, LAST_YEAR = 2556, 2569  # BE fiscal years of the history the subsets are cut from
HISTORY_AS_OF = dt.date(2026, 11, 21)  # the last period of that history: Oct 2026 (FY 2570 month 1)
POSTGRES_ADMIN_URL = os.environ.get("POC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@lru_cache(maxsize=2)
def history_frame(catalog, area_rows: tuple) -> pd.DataFrame:
    """Every KPI of every province (and the districts of DISTRICT_PROVINCES), FY 2556 to Oct 2026."""
    areas = pd.DataFrame(list(area_rows), columns=["code", "level", "name_th", "name_en", "parent_code",
                                                   "province_code"])
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
    rows = tuple(map(tuple, areas[["code", "level", "name_th", "name_en", "parent_code", "province_code"]]
                     .itertuples(index=False)))
    return history_frame(catalog, rows)


def cut(frame: pd.DataFrame, *, kpis=None, provinces=None, years=None, districts: bool = True,
        drop_fraction: float = 0.0, seed: int = 0) -> pd.DataFrame:
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
            result = write_values(connection, frame.reset_index(drop=True), counts["import_id"], "tester",
                                  catalog=catalog)
            counts.update(rows_read=len(frame), **{k: result[k] for k in ("inserted", "revised", "unchanged")})
    cache.invalidate(engine)


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


def period_of(row) -> Period:
    return Period(str(row["period_type"]), int(row["fiscal_year"]), int(row["period_no"]))


@contextmanager
def served_app(app_server, host: str = "127.0.0.1"):
    """`app_server` (the app's Flask server) on `host` at a free port, in a thread: yields its URL."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server(host, 0, app_server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def served_demo(folder, catalog):
    """The app reading a small demo store (test_pages.build_demo_store) in `folder`, served on
    127.0.0.1 at a free port: yields its URL; the settings and caches are reset around it."""
    from test_pages import build_demo_store, dash_app, reset_caches

    url = f"sqlite:///{folder / 'demo.sqlite'}"
    build_demo_store(url, catalog)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("POC_LANGUAGE", "th")
        reset_caches()
        with served_app(dash_app().server) as served:
            yield served
    reset_caches()
