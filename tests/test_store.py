"""The store: migrations, reference areas and clusters, the catalog table, the import log."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, inspect, select

from data.rules.areas import ClustersFileError, load_clusters
from data.store.engine import downgrade, schema_ready, upgrade
from data.store.schema import Area, Cluster, ImportLog, KpiRow, KpiValue
from data.store.setup import get_meta, init_store, logged_import
from settings import PROJECT_ROOT

CLUSTERS = PROJECT_ROOT / "data" / "clusters.yaml"


def _count(engine, level):
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Area).where(Area.level == level)).scalar_one()


@pytest.mark.parametrize(
    "level, expected",
    [
        ("country", 1),
        ("region", 6),
        ("cluster", 18),
        ("province", 77),
        ("district", 928),
        ("subdistrict", 7436),
    ],
)
def test_sto001_reference_areas_are_complete(store, level, expected):
    assert _count(store, level) == expected


def test_sto002_parents_link_every_level(store):
    with store.connect() as connection:
        rows = dict(connection.execute(select(Area.code, Area.parent_code)).all())
        names = dict(connection.execute(select(Area.code, Area.name_th)).all())
    assert rows["500101"] == "5001" and rows["5001"] == "50"
    assert rows["50"] == "C01" and rows["C01"] == "R1" and rows["R1"] == "TH"
    assert rows["10"] == "TH", "Bangkok belongs to no cluster"
    assert names["50"] == "เชียงใหม่"
    assert names["C18"] == "กลุ่มจังหวัดภาคใต้ชายแดน"


def test_sto003_every_province_but_bangkok_is_in_exactly_one_cluster(store):
    with store.connect() as connection:
        parents = connection.execute(select(Area.parent_code).where(Area.level == "province")).scalars().all()
        heads = connection.execute(select(Cluster.number, Cluster.head_province_code, Cluster.head_verified)).all()
    assert sum(1 for p in parents if p.startswith("C")) == 76
    assert len(heads) == 18
    assert (12, "70", False) in heads


def test_sto004_cluster_file_as_of_date_is_recorded(store):
    with store.connect() as connection:
        meta = get_meta(connection)
    assert meta["clusters_as_of"] == "2017-08-01"
    assert meta["areas_source"].startswith("geothai")


def test_sto005_catalog_is_loaded(store, catalog):
    with store.connect() as connection:
        ids = set(connection.execute(select(KpiRow.id)).scalars())
    assert ids == {kpi.id for kpi in catalog.kpis}


def test_sto006_init_is_idempotent_and_keeps_values(store, catalog):
    kpi = catalog.kpis[0]
    with store.begin() as connection:
        connection.execute(
            KpiValue.__table__.insert().values(
                kpi_id=kpi.id,
                area_level=2,
                area_code="50",
                period_type="Y",
                fiscal_year=2568,
                period_no=0,
                value=1.5,
                imported_by="test",
                imported_at=func.now(),
            )
        )
    init_store(store, catalog, CLUSTERS)
    assert _count(store, "province") == 77
    with store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(KpiValue)).scalar_one() == 1


def test_sto007_migrations_downgrade_and_upgrade_in_place(tmp_path):
    from data.store.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    upgrade(engine)
    assert schema_ready(engine)
    downgrade(engine, "base")
    assert not schema_ready(engine)
    upgrade(engine)
    assert {"area", "kpi", "kpi_value", "kpi_value_revision", "boundary", "import_log"} <= set(
        inspect(engine).get_table_names()
    )


def test_sto008_failed_import_writes_nothing_and_is_logged(store, catalog):
    kpi = catalog.kpis[0]
    with pytest.raises(RuntimeError, match="boom"):
        with logged_import(store, "values", "bad.csv", "tester") as (connection, counts):
            connection.execute(
                KpiValue.__table__.insert().values(
                    kpi_id=kpi.id,
                    area_level=2,
                    area_code="50",
                    period_type="Y",
                    fiscal_year=2568,
                    period_no=0,
                    value=2.0,
                    imported_by="tester",
                    imported_at=func.now(),
                )
            )
            counts["rows_read"] = 1
            raise RuntimeError("boom")
    with store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(KpiValue)).scalar_one() == 0
        log = connection.execute(select(ImportLog.status, ImportLog.source_name, ImportLog.message)).all()
    assert log == [("failed", "bad.csv", "boom")]


def test_sto009_wrong_cluster_file_names_file_and_reason(tmp_path):
    bad = tmp_path / "clusters.yaml"
    bad.write_text(
        CLUSTERS.read_text(encoding="utf-8").replace('provinces: ["94", "95", "96"]', 'provinces: ["94", "95", "50"]'),
        encoding="utf-8",
    )
    with pytest.raises(ClustersFileError) as error:
        load_clusters(bad)
    assert str(bad) in str(error.value)
    assert "province 50 is in cluster 1 and cluster 18" in str(error.value)


def _values(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(
                kpi_id=k,
                area_code=a,
                period_type=t,
                fiscal_year=y,
                period_no=n,
                value=v,
                target=None,
                source=None,
                is_preliminary=False,
                is_revised=False,
                is_demo=d,
            )
            for k, a, t, y, n, v, d in rows
        ]
    )


def _status(engine) -> dict:
    from data.query import data_status

    frame = data_status(engine).set_index("kpi_id")
    return {
        kpi_id: (row["values"], row["areas"], row["latest_fiscal_year"], row["latest_period_no"], row["demo_values"])
        for kpi_id, row in frame.iterrows()
    }


def test_sto010_the_data_page_counts_follow_every_import(store, catalog):
    """kpi_status is kept by the import: counts, areas, latest period and demo values of the
    KPIs it touched, in its transaction; the other KPIs keep theirs; a reset empties it."""
    from data.store.setup import reset_values
    from data.store.values import write_values

    yearly = [k.id for k in catalog.kpis if k.frequency.value == "annual"][:2]
    first, second = yearly
    untouched = next(k.id for k in catalog.kpis if k.id not in yearly)
    with logged_import(store, "values", "one.csv", "tester") as (connection, counts):
        write_values(
            connection,
            _values(
                [
                    (first, "50", "Y", 2566, 0, 10.0, False),
                    (first, "50", "Y", 2567, 0, 11.0, False),
                    (first, "5001", "Y", 2567, 0, 3.0, True),
                    (second, "10", "Y", 2565, 0, 1.0, False),
                ]
            ),
            counts["import_id"],
            "tester",
            catalog=catalog,
        )
    status = _status(store)
    assert status[first] == (3, 2, 2567, 0, 1)
    assert status[second] == (1, 1, 2565, 0, 0)
    assert status[untouched][:2] == (0, 0) and status[untouched][2] is pd_na()
    with logged_import(store, "values", "two.csv", "tester") as (connection, counts):
        write_values(
            connection,
            _values(
                [
                    (first, "50", "Y", 2567, 0, 12.0, False),  # a revision: no new value
                    (first, "57", "Y", 2568, 0, 9.0, False),  # a new area and a later year
                    (first, "5001", "Y", 2567, 0, 3.0, False),  # the demo value replaced by a real one
                    (second, "10", "Y", 2565, 0, 1.0, False),  # unchanged
                ]
            ),
            counts["import_id"],
            "tester",
            catalog=catalog,
        )
    status = _status(store)
    assert status[first] == (4, 3, 2568, 0, 0)
    assert status[second] == (1, 1, 2565, 0, 0)
    with store.connect() as connection:  # the counts equal a recount from the values
        from data.store.schema import KpiStatus
        from data.store.values import refresh_kpi_status

        kept = connection.execute(
            select(
                KpiStatus.kpi_id, KpiStatus.values, KpiStatus.areas, KpiStatus.latest_key, KpiStatus.demo_values
            ).order_by(KpiStatus.kpi_id)
        ).all()
        refresh_kpi_status(connection)
        again = connection.execute(
            select(
                KpiStatus.kpi_id, KpiStatus.values, KpiStatus.areas, KpiStatus.latest_key, KpiStatus.demo_values
            ).order_by(KpiStatus.kpi_id)
        ).all()
        connection.rollback()
    assert kept == again
    with logged_import(store, "demo", "reset", "tester") as (connection, counts):  # as `poc demo --replace`
        reset_values(connection)
    assert _status(store)[first][:2] == (0, 0)


def _kept_and_recounted(engine) -> tuple[list, list]:
    """kpi_status as the imports kept it, and as a recount from the values gives it."""
    from data.store.schema import KpiStatus
    from data.store.values import refresh_kpi_status

    columns = (
        KpiStatus.kpi_id,
        KpiStatus.values,
        KpiStatus.areas,
        KpiStatus.latest_key,
        KpiStatus.demo_values,
        KpiStatus.last_imported_at,
    )
    with engine.connect() as connection:
        kept = connection.execute(select(*columns).order_by(KpiStatus.kpi_id)).all()
        refresh_kpi_status(connection)
        again = connection.execute(select(*columns).order_by(KpiStatus.kpi_id)).all()
        connection.rollback()
    return kept, again


@pytest.mark.parametrize("ratio", [0, 10**9], ids=["moved", "recounted"])
def test_sto010b_counts_moved_by_each_import_equal_a_recount_over_random_imports(store, catalog, monkeypatch, ratio):
    """An import moves the counts of KPIs that already hold values by what it inserted and
    revised, or recounts them when it brings many rows against what they hold (the ratio,
    forced here each way). Over imports that mix new periods, new areas, revisions that turn
    demo values real and back, and unchanged rows, the counts equal a recount after every one."""
    import numpy as np

    from data.store import values as values_store
    from data.store.values import write_values

    monkeypatch.setattr(values_store, "RECOUNT_RATIO", ratio)

    rng = np.random.default_rng(7)
    kpis = [k.id for k in catalog.kpis if k.frequency.value == "annual"][:4]
    areas = ["50", "51", "5001", "5002", "500101", "10", "1001"]
    held: dict[tuple, tuple[float, bool]] = {}
    for step in range(12):
        rows = []
        for _ in range(int(rng.integers(1, 25))):
            key = (str(rng.choice(kpis)), str(rng.choice(areas)), "Y", int(rng.integers(2560, 2570)), 0)
            if key in {row[:5] for row in rows}:
                continue
            if key in held and rng.random() < 0.4:  # unchanged
                value, demo = held[key]
            else:
                value, demo = float(rng.integers(1, 5)), bool(rng.random() < 0.5)
            rows.append((*key, value, demo))
        with logged_import(store, "values", f"step{step}.csv", "tester") as (connection, counts):
            write_values(connection, _values(rows), counts["import_id"], "tester", catalog=catalog)
        held.update({row[:5]: (row[5], row[6]) for row in rows})
        kept, again = _kept_and_recounted(store)
        assert kept == again, f"after import {step}"
    assert sum(row[1] for row in kept) == len(held)  # and the recount itself counts what was written


def pd_na():
    return pd.NA


def test_sto011_upgrading_a_store_with_values_counts_them(tmp_path, catalog):
    from data.store.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, "0001")
    kpi = catalog.kpis[0]
    with engine.begin() as connection:
        connection.execute(
            KpiRow.__table__.insert().values(
                id=kpi.id,
                goal=kpi.goal,
                name_th="x",
                name_en="x",
                direction="higher_better",
                period_type="Y",
                finest_level="district",
                aggregation="sum",
                weight=1.0,
                definition="x",
            )
        )
        connection.execute(
            Area.__table__.insert(),
            [
                dict(code="50", level="province", name_th="x", name_en="x"),
                dict(code="5001", level="district", name_th="x", name_en="x", parent_code="50", province_code="50"),
            ],
        )
        connection.execute(
            KpiValue.__table__.insert(),
            [
                dict(
                    kpi_id=kpi.id,
                    area_level=len(code),
                    area_code=code,
                    period_type="Y",
                    fiscal_year=2566 + n,
                    period_no=0,
                    value=1.0,
                    imported_by="t",
                    imported_at=dt.datetime(2026, 1, 1),
                    is_demo=False,
                )
                for n, code in enumerate(["50", "5001"])
            ],
        )
    upgrade(engine)
    with engine.connect() as connection:
        from data.store.schema import KpiStatus

        row = connection.execute(select(KpiStatus.values, KpiStatus.areas, KpiStatus.latest_key)).one()
    assert tuple(row) == (2, 2, 256700)


def test_sto012_commands_on_a_store_behind_the_code_say_to_run_init(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import settings
    from cli.main import poc
    from data.store.engine import get_engine, make_engine

    url = f"sqlite:///{tmp_path / 'behind.sqlite'}"
    upgrade(make_engine(url), "0001")
    monkeypatch.setenv("DATABASE_URL", url)
    settings.get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        result = CliRunner().invoke(poc, ["serve"])
        assert result.exit_code != 0
        assert "schema is at revision 0001" in result.output and "run `poc init`" in result.output
        assert CliRunner().invoke(poc, ["init"]).exit_code == 0
        from data.store.engine import pending_revision

        assert pending_revision(make_engine(url)) is None
    finally:
        settings.get_settings.cache_clear()
        get_engine.cache_clear()


def test_sto030_an_in_memory_store_can_be_made_and_migrated():
    """`sqlite://` (one connection, no pool to wait on) is a store like any other: the query
    benchmark reads the schema from one."""
    from sqlalchemy import inspect

    from data.store.engine import make_engine, upgrade

    engine = make_engine("sqlite://")
    upgrade(engine)
    assert {"kpi_value", "area", "import_log"} <= set(inspect(engine).get_table_names())
