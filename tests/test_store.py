"""The store: migrations, reference areas and clusters, the catalog table, the import log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from data.areas import ClustersFileError, load_clusters
from data.engine import downgrade, schema_ready, upgrade
from data.schema import Area, Cluster, ImportLog, KpiRow, KpiValue
from data.store import get_meta, init_store, logged_import
from settings import PROJECT_ROOT

CLUSTERS = PROJECT_ROOT / "data" / "clusters.yaml"


def _count(engine, level):
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Area).where(Area.level == level)).scalar_one()


@pytest.mark.parametrize("level, expected", [
    ("country", 1), ("region", 6), ("cluster", 18), ("province", 77), ("district", 928), ("subdistrict", 7436),
])
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
        connection.execute(KpiValue.__table__.insert().values(
            kpi_id=kpi.id, area_level=2, area_code="50", period_type="Y", fiscal_year=2568, period_no=0, value=1.5,
            imported_by="test", imported_at=func.now()))
    init_store(store, catalog, CLUSTERS)
    assert _count(store, "province") == 77
    with store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(KpiValue)).scalar_one() == 1


def test_sto007_migrations_downgrade_and_upgrade_in_place(tmp_path):
    from data.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    upgrade(engine)
    assert schema_ready(engine)
    downgrade(engine, "base")
    assert not schema_ready(engine)
    upgrade(engine)
    assert {"area", "kpi", "kpi_value", "kpi_value_revision", "boundary", "import_log"} <= set(
        inspect(engine).get_table_names())


def test_sto008_failed_import_writes_nothing_and_is_logged(store, catalog):
    kpi = catalog.kpis[0]
    with pytest.raises(RuntimeError, match="boom"):
        with logged_import(store, "values", "bad.csv", "tester") as (connection, counts):
            connection.execute(KpiValue.__table__.insert().values(
                kpi_id=kpi.id, area_level=2, area_code="50", period_type="Y", fiscal_year=2568, period_no=0, value=2.0,
                imported_by="tester", imported_at=func.now()))
            counts["rows_read"] = 1
            raise RuntimeError("boom")
    with store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(KpiValue)).scalar_one() == 0
        log = connection.execute(select(ImportLog.status, ImportLog.source_name, ImportLog.message)).all()
    assert log == [("failed", "bad.csv", "boom")]


def test_sto009_wrong_cluster_file_names_file_and_reason(tmp_path):
    bad = tmp_path / "clusters.yaml"
    bad.write_text(CLUSTERS.read_text(encoding="utf-8").replace('provinces: ["94", "95", "96"]',
                                                                 'provinces: ["94", "95", "50"]'), encoding="utf-8")
    with pytest.raises(ClustersFileError) as error:
        load_clusters(bad)
    assert str(bad) in str(error.value)
    assert "province 50 is in cluster 1 and cluster 18" in str(error.value)
