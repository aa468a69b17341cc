"""Shared fixtures: a real store on SQLite and, when reachable, on the local PostgreSQL.

`store` is parametrized over both backends. The PostgreSQL store lives in a database of
its own, created for the session and dropped after it. Set POC_TEST_POSTGRES_URL to point
elsewhere, or to "skip" to run SQLite only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# every figure the tests build goes through plotly's property validation, which the app skips
# for speed (layouts.figures.figure_from); set before the app's modules are imported
os.environ.setdefault("POC_VALIDATE_FIGURES", "1")
os.environ.setdefault("POC_WARM_ASSETS", "0")  # no background compression in every app a test creates

from sqlalchemy import delete

from data.rules.catalog import load_catalog
from data.store.engine import make_engine
from data.store.schema import Boundary, ImportLog, KpiRollup, KpiStatus, KpiValue, KpiValueRevision
from data.store.setup import init_store
from settings import PROJECT_ROOT
from stores import postgres_database as _postgres_database

SHARED = PROJECT_ROOT.parent / "shared"
SHARED_GEO = SHARED / "geo"
POSTGRES_ADMIN_URL = os.environ.get("POC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(PROJECT_ROOT / "kpi_definitions.yaml")


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('store') / 'poc.sqlite'}"


@pytest.fixture(scope="session")
def postgres_url():
    yield from _postgres_database()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def _initialised_engine(request, catalog):
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = make_engine(url)
    init_store(engine, catalog, PROJECT_ROOT / "data" / "clusters.yaml")
    yield engine
    engine.dispose()


@pytest.fixture
def store(_initialised_engine):
    """An initialised store (areas + catalog loaded) with no values, boundaries or imports."""
    engine = _initialised_engine
    with engine.begin() as connection:
        for table in (KpiValueRevision, KpiValue, KpiRollup, KpiStatus, Boundary, ImportLog):
            connection.execute(delete(table))
    yield engine


@pytest.fixture
def shared_geo() -> Path:
    if not SHARED_GEO.is_dir():
        pytest.skip(f"shared boundary files not found at {SHARED_GEO}")
    return SHARED_GEO


@pytest.fixture
def fresh_request():
    """Read through the query layer as one request would: a store failure another test provoked
    on this thread (the outage tests) must not trip the per-request breaker (data.query.cache)."""
    from data.query import cache

    cache.new_request()
    yield
