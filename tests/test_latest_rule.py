"""One rule for "latest" (issue 15, point 7): the province pages, the wall, the ESRs and the
downloads pick the same period for the same KPI and province, on a gappy store where provinces
reported different periods last.

Each view's own entry point is asked: the province scorecard (page), `province_table` (the
wall's and the cluster page's ranks, the ESR's member comparison), `map_values` (maps and the
KPI page's CSV/XLSX downloads) and the province and cluster ESRs' content.
"""

from __future__ import annotations

import pandas as pd
import pytest

from data.query import cluster_comparison, map_values, province_table, resolve_period, scorecard
from data.rules.periods import Period, thai_today
from data.store.engine import make_engine
from reports.content import EsrRequest, build_esr
from stores import cut, initialise, source, write_store

PROVINCES = ["50", "51", "52", "58", "57"]  # cluster 1 and Phayao (cluster 2)
KPIS = [
    "budget_disbursement_vs_target",
    "unemployment_rate",
    "dengue_per_100k",
    "road_deaths_per_100k",
    "damrongdhama_resolved_pct",
    "mmr1_coverage_pct",
]


def _key(frame: pd.DataFrame) -> dict:
    rows = frame.dropna(subset=["fiscal_year"])
    return {
        (k, a): (str(t), int(y), int(n))
        for k, a, t, y, n in zip(
            rows["kpi_id"], rows["area_code"], rows["period_type"], rows["fiscal_year"], rows["period_no"]
        )
    }


pytestmark = pytest.mark.usefixtures("fresh_request")  # see conftest.fresh_request


@pytest.fixture(scope="module")
def gappy(tmp_path_factory, catalog):
    engine = initialise(make_engine(f"sqlite:///{tmp_path_factory.mktemp('latest') / 'poc.sqlite'}"), catalog)
    history = source(engine, catalog)
    frame = cut(history, provinces=PROVINCES, years=[2568, 2569, 2570], districts=False, drop_fraction=0.35, seed=3)
    write_store(engine, catalog, frame)
    yield engine
    engine.dispose()


def test_lat001_every_view_reads_the_same_period_for_a_kpi_and_province(gappy):
    today = thai_today()
    period, _judged = resolve_period(gappy, None, today)
    assert period is not None
    pages = {}
    for code in PROVINCES:
        card = scorecard(gappy, code, period, today=today)
        pages.update(_key(card.assign(area_code=code)))
    table = province_table(gappy, period, today=today)
    ranks = _key(table[table["area_code"].isin(PROVINCES)])
    maps = {}
    for kpi_id in KPIS:
        maps.update(_key(map_values(gappy, kpi_id, "province", None, period, today=today)))
    reports = {}
    for code in PROVINCES:
        reports.update(_key(build_esr(gappy, EsrRequest("province", code, None, "th")).card.assign(area_code=code)))
    comparison = _key(build_esr(gappy, EsrRequest("cluster", "1", None, "th")).comparison)
    assert len(pages) > 20  # a gappy store, but not an empty one
    differing = {(k, a): pages[(k, a)] for (k, a) in pages if (k, a)[0] in KPIS and maps.get((k, a)) != pages[(k, a)]}
    assert not differing
    assert {pair: ranks.get(pair) for pair in pages} == pages
    assert reports == pages
    assert {pair: comparison[pair] for pair in comparison} == {pair: pages[pair] for pair in comparison}
    # the store is gappy: the provinces' latest periods of a KPI differ, which is what makes this a test
    by_kpi = {}
    for (kpi_id, _area), when in pages.items():
        by_kpi.setdefault(kpi_id, set()).add(when)
    assert any(len(periods) > 1 for periods in by_kpi.values())


def test_lat002_the_cluster_reports_weakest_member_says_the_period_of_its_value(gappy):
    """Where the weakest province's value is of an older period than the cluster's row, the ESR
    says which period it is, as the province's page would show it."""
    from reports.sections import _weakest_member

    today = thai_today()
    period, _ = resolve_period(gappy, None, today)
    comparison = cluster_comparison(gappy, 1, period, today=today)
    for kpi_id in KPIS:
        rows = comparison[(comparison["kpi_id"] == kpi_id) & comparison["score"].notna()]
        if rows.empty:
            continue
        worst = rows.sort_values("score").iloc[0]
        text = _weakest_member(comparison, kpi_id, "th", newest=None)
        assert str(worst["name_th"]) in text
        older = _weakest_member(comparison, kpi_id, "th", newest=(int(worst["fiscal_year"]) + 1) * 100)
        label = Period(str(worst["period_type"]), int(worst["fiscal_year"]), int(worst["period_no"])).label("th")
        assert older == f"{worst['name_th']} ({worst['score']:.2f}, {label})" and label not in text
