"""Fuzz the values import with generated hostile files (hypothesis; CSV and XLSX): every file gets
a clear message or a correct import, never a traceback, never a partial write, never a stored value
the file did not hold (see tests/fuzz_files.py for the files and the oracle). SQLite for the many
cases, PostgreSQL for a few."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.rules.catalog import get_catalog
from data.store.engine import make_engine
from data.store.imports import import_values_file
from fuzz_files import BENIGN, HOSTILE, check_outcome, make_file, stored_values
from stores import initialise, postgres_database

FILES = st.fixed_dictionaries(
    {
        "hostile": st.lists(st.sampled_from(HOSTILE), max_size=2, unique=True),
        "benign": st.lists(st.sampled_from(BENIGN), max_size=3, unique=True),
        "seed": st.integers(0, 2**32 - 1),
    }
)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory, catalog):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}"
    engine = initialise(make_engine(url), catalog)
    yield engine
    engine.dispose()


def _run(engine, folder, case) -> str:
    catalog = get_catalog()
    hostile, benign = case["hostile"], list(case["benign"])
    if "utf16" in benign and "cp874_names" in benign:
        benign.remove("cp874_names")
    if "bom" in benign and ("utf16" in benign or "cp874_names" in benign):
        benign.remove("bom")
    if "xlsx" in benign:
        hostile = [
            m
            for m in hostile
            if m not in ("truncated", "latin1", "random_bytes", "extra_cell", "missing_cell", "giant_cell")
        ]
    fuzz = make_file(folder, f"case{case['seed']}", catalog, random.Random(case["seed"]), hostile, benign)
    before = stored_values(engine)
    return check_outcome(engine, catalog, fuzz, before, lambda path: import_values_file(engine, path, catalog, "fuzz"))


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=FILES)
def test_fuz001_every_file_gets_a_message_or_a_correct_import(fuzz_store, tmp_path, case):
    outcome = _run(fuzz_store, tmp_path, case)
    assert outcome in ("refused", "imported"), outcome


@pytest.mark.postgres
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=FILES)
def test_fuz002_the_same_on_postgresql(postgres_fuzz_store, tmp_path, case):
    outcome = _run(postgres_fuzz_store, tmp_path, case)
    assert outcome in ("refused", "imported"), outcome


@pytest.fixture(scope="module")
def postgres_fuzz_store(catalog):
    databases = postgres_database()
    engine = initialise(make_engine(next(databases)), catalog)
    yield engine
    engine.dispose()
    next(databases, None)
