"""Shared fixtures. Plain helpers are in helpers.py, the stores are built by stores.py; browser-only
fixtures (the Chromium the browser tests drive) are in browser/conftest.py.

- `catalog`; `store`: a real, initialised store without values, parametrized over SQLite and,
  when reachable, the local PostgreSQL (marked `postgres`). The PostgreSQL store lives in a
  database of its own, created for the session and dropped after it. Set POC_TEST_POSTGRES_URL to
  point elsewhere, or to "skip" to run SQLite only.
- the demo store, one per module (a module may change it): `demo_url` (built, nothing else),
  `demo_store` (the app's settings pointed at it) and `live_server` (the app reading it, served
  on 127.0.0.1 at a free port in a thread).
- `areas` (the reference areas, from the clusters file), `shared_geo`, `fresh_request`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# every figure the tests build goes through plotly's property validation, which the app skips
# for speed (layouts.figures.figure_from); set before the app's modules are imported
os.environ.setdefault("POC_VALIDATE_FIGURES", "1")
os.environ.setdefault("POC_WARM_ASSETS", "0")  # no background compression in every app a test creates

import pandas as pd

from data.rules.catalog import load_catalog
from data.store.engine import make_engine
from helpers import dash_app, reading_store, served_app
from settings import PROJECT_ROOT
from stores import CLUSTERS, build_demo_store, empty_values, initialise, postgres_database

SHARED = PROJECT_ROOT.parent / "shared"
SHARED_GEO = SHARED / "geo"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(PROJECT_ROOT / "kpi_definitions.yaml")


# =========================================================================== a store on each backend


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('store') / 'poc.sqlite'}"


@pytest.fixture(scope="session")
def postgres_url():
    yield from postgres_database()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def _initialised_engine(request, catalog):
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    engine = initialise(make_engine(url), catalog)
    yield engine
    engine.dispose()


@pytest.fixture
def store(_initialised_engine):
    """An initialised store (areas + catalog loaded) with no values, boundaries or imports."""
    engine = _initialised_engine
    empty_values(engine)
    yield engine


# =========================================================================== the demo store


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory, catalog) -> str:
    """A small SQLite demo store of the module's own (stores.build_demo_store: as of 21 Nov 2026,
    every province and the districts of Chiang Mai and Bangkok): its URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    build_demo_store(url, catalog)
    return url


@pytest.fixture(scope="module")
def demo_store(demo_url):
    """The app's settings pointed at the module's demo store (DATABASE_URL, POC_LANGUAGE=th; the
    caches reset around): its URL."""
    with reading_store(demo_url):
        yield demo_url


@pytest.fixture(scope="module")
def live_server(demo_store):
    """The app reading the module's demo store, served on 127.0.0.1 at a free port in a thread: its URL."""
    with served_app(dash_app().server) as url:
        yield url


# =========================================================================== reference data


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    """The reference provinces, districts and subdistricts (from the clusters file), without a store."""
    from data.rules.areas import load_clusters, reference_area_rows

    frame = pd.DataFrame(reference_area_rows(load_clusters(CLUSTERS)))
    return frame[frame.level.isin(["province", "district", "subdistrict"])].reset_index(drop=True)


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
